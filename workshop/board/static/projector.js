// The projector's page, live (live.js): counts and stuck points for the whole room, no names.
"use strict";

function show(state) {
  document.getElementById("joined").textContent = `${plural(state.learners, "learner")} joined.`;
  document.getElementById("steps").replaceChildren(...state.steps.map((step) => {
    const row = document.createElement("tr");
    row.append(element("th", `Step ${step.step}`), element("td", String(step.at)),
      element("td", String(step.finished)));
    row.firstChild.scope = "row";
    return row;
  }));
  const stuck = document.getElementById("stuck");
  if (!state.stuck.length) {
    stuck.replaceChildren(element("li", "Nobody's latest self-check fails."));
    return;
  }
  stuck.replaceChildren(...state.stuck.map((group) => {
    const item = element("li", `${plural(group.learners, "learner")}: step ${group.step}, “${group.title}”`);
    item.append(element("p", group.kind, "kind"));
    return item;
  }));
}

live(show);
