// The network page without a library: zoom, pan, drag a node, find a node as you type.
// The page works without this file (the drawing, the find form and the exports are the
// server's); this only makes the drawing move. Served by the desk: CSP script-src 'self'.
"use strict";
(function () {
  function start() {
    var svg = document.getElementById("network");
    if (!svg) return;
    var size = Number(svg.getAttribute("data-size")) || 900;
    var view = { x: 0, y: 0, w: size, h: size };

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    }
    function point(evt) {
      // A screen point in drawing coordinates.
      var p = svg.createSVGPoint();
      p.x = evt.clientX;
      p.y = evt.clientY;
      return p.matrixTransform(svg.getScreenCTM().inverse());
    }
    function zoom(factor, cx, cy) {
      var w = Math.min(size * 4, Math.max(size / 20, view.w * factor));
      var f = w / view.w;
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      view.x = cx - (cx - view.x) * f;
      view.y = cy - (cy - view.y) * f;
      view.w = w;
      view.h = w;
      apply();
    }
    function pan(dx, dy) { view.x += dx * view.w; view.y += dy * view.h; apply(); }
    function reset() { view = { x: 0, y: 0, w: size, h: size }; apply(); }

    // Controls exist only when this script runs, so a page without it has no dead buttons.
    var bar = document.createElement("div");
    bar.className = "net-controls";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", document.documentElement.lang === "ar" ? "التحكم بالشبكة" : "Network controls");
    [["+", function () { zoom(0.8); }, "zoom-in"], ["−", function () { zoom(1.25); }, "zoom-out"],
     ["⟲", reset, "zoom-reset"]].forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b[0];
      btn.id = b[2];
      btn.setAttribute("aria-label", b[2].replace("-", " "));
      btn.addEventListener("click", b[1]);
      bar.appendChild(btn);
    });
    svg.parentNode.insertBefore(bar, svg);
    svg.setAttribute("tabindex", "0");

    svg.addEventListener("wheel", function (evt) {
      evt.preventDefault();
      var p = point(evt);
      zoom(evt.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    }, { passive: false });
    svg.addEventListener("keydown", function (evt) {
      var keys = { "+": function () { zoom(0.8); }, "=": function () { zoom(0.8); },
        "-": function () { zoom(1.25); }, "0": reset,
        ArrowLeft: function () { pan(-0.1, 0); }, ArrowRight: function () { pan(0.1, 0); },
        ArrowUp: function () { pan(0, -0.1); }, ArrowDown: function () { pan(0, 0.1); } };
      if (evt.target === svg && keys[evt.key]) { evt.preventDefault(); keys[evt.key](); }
    });

    // Lines by the nodes they join, so a dragged node takes its links along.
    var lines = {};
    svg.querySelectorAll("line[data-a]").forEach(function (l) {
      [["a", "1"], ["b", "2"]].forEach(function (end) {
        var id = l.getAttribute("data-" + end[0]);
        (lines[id] = lines[id] || []).push([l, end[1]]);
      });
    });

    var drag = null;
    svg.addEventListener("pointerdown", function (evt) {
      var g = evt.target.closest ? evt.target.closest("g.node") : null;
      var p = point(evt);
      drag = g ? { node: g, moved: false, start: p }
               : { pan: true, moved: false, start: p, x: view.x, y: view.y };
      svg.setPointerCapture(evt.pointerId);
    });
    svg.addEventListener("pointermove", function (evt) {
      if (!drag) return;
      var p = point(evt);
      if (drag.pan) {
        var s = view.w / svg.getBoundingClientRect().width;
        if (!drag.screen) drag.screen = { x: evt.clientX, y: evt.clientY };
        view.x = drag.x - (evt.clientX - drag.screen.x) * s;
        view.y = drag.y - (evt.clientY - drag.screen.y) * s;
        drag.moved = true;
        apply();
        return;
      }
      if (Math.abs(p.x - drag.start.x) + Math.abs(p.y - drag.start.y) < 3 && !drag.moved) return;
      drag.moved = true;
      move(drag.node, p.x, p.y);
    });
    function end() { if (drag && drag.moved) { svg.classList.add("dragged"); } drag = null; }
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    // A drag is not a click: the link under a dragged node is not followed.
    svg.addEventListener("click", function (evt) {
      if (svg.classList.contains("dragged")) { evt.preventDefault(); svg.classList.remove("dragged"); }
    }, true);

    function move(g, x, y) {
      var c = g.querySelector("circle");
      var t = g.querySelector("text");
      var r = Number(c.getAttribute("r"));
      c.setAttribute("cx", x); c.setAttribute("cy", y);
      if (t) { t.setAttribute("x", x); t.setAttribute("y", y - r - 3); }
      (lines[g.getAttribute("data-id")] || []).forEach(function (le) {
        le[0].setAttribute("x" + le[1], x); le[0].setAttribute("y" + le[1], y);
      });
    }

    // Find as you type: matching nodes are marked, the rest faded; Enter centres the first.
    var find = document.getElementById("net-find");
    var nodes = Array.prototype.slice.call(svg.querySelectorAll("g.node"));
    function mark() {
      var q = (find.value || "").trim().toLocaleLowerCase();
      var hits = 0;
      nodes.forEach(function (g) {
        var on = q && (g.getAttribute("data-name") || "").toLocaleLowerCase().indexOf(q) >= 0;
        g.classList.toggle("found", !!on);
        if (on) hits++;
      });
      svg.classList.toggle("finding", !!q && hits > 0);
      return hits;
    }
    if (find) {
      find.addEventListener("input", mark);
      find.addEventListener("keydown", function (evt) {
        if (evt.key !== "Enter") return;
        var first = svg.querySelector("g.node.found circle");
        if (!first) return;  // nothing here: let the form ask the server
        evt.preventDefault();
        view.w = view.h = size / 3;
        view.x = Number(first.getAttribute("cx")) - view.w / 2;
        view.y = Number(first.getAttribute("cy")) - view.h / 2;
        apply();
      });
      mark();
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
