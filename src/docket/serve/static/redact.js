// Redaction review: j/k move between marks, a accepts, r rejects the focused one;
// drag on an original page to draw a box (filled into the draw form, then sent).
// The page works without this script: buttons and the form do the same.
(function () {
  "use strict";
  const marks = Array.from(document.querySelectorAll(".mark[data-mark]"));
  let at = Math.max(0, marks.findIndex((m) => m.classList.contains("proposed")));
  function focus(i) {
    if (!marks.length) return;
    at = (i + marks.length) % marks.length;
    marks[at].focus();
  }
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "j") focus(at + 1);
    else if (e.key === "k") focus(at - 1);
    else if ((e.key === "a" || e.key === "r") && marks[at]) {
      marks[at].querySelector(e.key === "a" ? "button.accept" : "button.reject").click();
    } else return;
    e.preventDefault();
  });
  marks.forEach((m, i) => m.addEventListener("focus", () => { at = i; }));
  if (location.hash.startsWith("#mark-")) {
    const i = marks.findIndex((m) => "#" + m.id === location.hash);
    focus(i >= 0 ? i + 1 : at);
  }
  const form = document.getElementById("draw-form");
  document.querySelectorAll(".drawable").forEach((fig) => {
    const img = fig.querySelector("img");
    let start = null;
    let rubber = null;
    function frac(e) {
      const r = img.getBoundingClientRect();
      return [Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)),
              Math.min(1, Math.max(0, (e.clientY - r.top) / r.height))];
    }
    img.addEventListener("dragstart", (e) => e.preventDefault());
    img.addEventListener("mousedown", (e) => {
      start = frac(e);
      rubber = document.createElement("div");
      rubber.className = "rubber";
      fig.appendChild(rubber);
    });
    img.addEventListener("mousemove", (e) => {
      if (!start) return;
      const p = frac(e);
      Object.assign(rubber.style, {
        left: Math.min(start[0], p[0]) * img.width + "px", top: Math.min(start[1], p[1]) * img.height + "px",
        width: Math.abs(p[0] - start[0]) * img.width + "px", height: Math.abs(p[1] - start[1]) * img.height + "px",
      });
    });
    img.addEventListener("mouseup", (e) => {
      if (!start || !form) return;
      const p = frac(e);
      const box = [Math.min(start[0], p[0]), Math.min(start[1], p[1]), Math.max(start[0], p[0]), Math.max(start[1], p[1])];
      start = null;
      if (box[2] - box[0] < 0.005 || box[3] - box[1] < 0.005) { rubber.remove(); return; }
      form.elements.page.value = fig.dataset.page;
      ["x0", "y0", "x1", "y1"].forEach((k, i) => { form.elements[k].value = box[i].toFixed(4); });
      form.submit();
    });
  });
})();
