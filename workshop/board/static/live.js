// What the board's live pages share: ask the board for news every few seconds and show it.
// Learners' names and check titles are only ever set as text (textContent), never as HTML.
"use strict";

const board = document.getElementById("board");
const status = document.getElementById("status");

function element(tag, text, className) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

function items(list, texts, empty) {
  list.replaceChildren(...(texts.length ? texts : [empty]).map((text) => element("li", text)));
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// Show the page's state.json with show(state) now, then every data-refresh-seconds, without a reload.
async function live(show) {
  try {
    const response = await fetch(board.dataset.stateUrl, { cache: "no-store" });
    if (!response.ok) throw new Error(`the board answered ${response.status}`);
    show(await response.json());
    status.textContent = `Updated at ${new Date().toLocaleTimeString()}.`;
  } catch (error) {
    status.textContent = `Cannot update (${error.message}): trying again.`;
  } finally {
    setTimeout(() => live(show), Number(board.dataset.refreshSeconds) * 1000);
  }
}
