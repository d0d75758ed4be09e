// The instructor's page, live (live.js): who is stuck on what, each learner's verdicts, removing learners.
"use strict";

function verdictCell(verdict) {
  if (!verdict) return element("td", "not yet");
  if (verdict.passed === verdict.total) return element("td", `✅ all ${verdict.total} pass`, "pass");
  return element("td", `❌ ${verdict.passed} of ${verdict.total} pass`, "fail");
}

async function remove(path, question) {
  if (!confirm(question)) return;
  const response = await fetch(path, { method: "DELETE" });
  const answer = await response.json();
  status.textContent = response.ok ? `Removed: ${answer.removed.join(", ")}.` : `Not removed: ${answer.error}`;
}

function button(text, label, onClick) {
  const node = element("button", text);
  node.type = "button";
  node.setAttribute("aria-label", label);
  node.addEventListener("click", onClick);
  return node;
}

function removeCell(learner) {
  const cell = element("td", "");
  cell.append(button("Remove", `Remove ${learner.name}`,
    () => remove(`learners/${learner.id}`, `Remove ${learner.name} from the board?`)));
  if (learner.burst > 1) {
    const others = `the ${learner.burst - 1} who joined from the same computer with ${learner.name}`;
    cell.append(" ", button(`and ${learner.burst - 1} more`, `Remove ${learner.name} and ${others}`,
      () => remove(`learners/${learner.id}/burst`, `Remove ${learner.name} and ${others}?`)));
  }
  return cell;
}

function showGroups(groups) {
  const list = document.getElementById("groups");
  if (!groups.length) {
    list.replaceChildren(element("li", "Nobody's latest self-check fails."));
    return;
  }
  list.replaceChildren(...groups.map((group) => {
    const item = element("li", `${plural(group.names.length, "learner")}: step ${group.step}, “${group.title}”`);
    item.append(element("p", group.kind, "kind"), element("p", group.names.join(", "), "names"));
    return item;
  }));
}

function show(state) {
  document.getElementById("full").hidden = !state.full;
  const steps = Object.keys(state.finished);
  const total = state.learners.length;
  document.getElementById("stuck-rule").textContent =
    `Failing the same check for more than ${state.stuck_minutes} minutes, longest first.`;
  items(document.getElementById("stuck"),
    state.stuck.map((s) => `${s.name}: step ${s.step}, “${s.title}”, for ${s.minutes} min`), "Nobody is stuck.");
  items(document.getElementById("finished"),
    steps.map((step) => `Step ${step}: ${state.finished[step]} of ${total}`), "");
  items(document.getElementById("failing"),
    state.failing.map((f) => `Step ${f.step}: “${f.title}”, ${plural(f.learners, "learner")}`),
    "Nothing is failing right now.");
  showGroups(state.groups);
  document.getElementById("learners").replaceChildren(...state.learners.map((learner) => {
    const row = document.createElement("tr");
    row.append(
      element("th", learner.name),
      ...steps.map((step) => verdictCell(learner.steps[step])),
      element("td", learner.caught_up === null ? "no" : `to step ${learner.caught_up}`),
      removeCell(learner),
    );
    row.firstChild.scope = "row";
    return row;
  }));
}

live(show);
