// The projector's page, live (live.js): counts and stuck points (a step and a check of the workshop's own)
// for the whole room, no names.
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
  const stuck = state.stuck.map(
    (point) => `${plural(point.learners, "learner")}: step ${point.step}, “${point.title}”`);
  items(document.getElementById("stuck"), stuck, "Nobody's latest self-check fails.");
}

live(show);
