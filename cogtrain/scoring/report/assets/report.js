/* Draws the charts of a cogtrain report as SVG.
 *
 * Every decision about what a chart shows (axis ranges, ticks, notes) is made
 * when the report is written (cogtrain/scoring/report/charts.py); this script only
 * draws the JSON it finds in <script id="chart-data">. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var M = {left: 70, right: 18, top: 40, bottom: 56};
  var FONT = 15;

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function text(parent, x, y, content, attrs) {
    var node = el("text", Object.assign({x: x, y: y, "font-size": FONT, fill: "#111"}, attrs || {}), parent);
    node.textContent = content;
    return node;
  }
  function marker(parent, shape, x, y, r, color, hollow) {
    var fill = hollow ? "#fff" : color, common = {fill: fill, stroke: color, "stroke-width": 2};
    if (shape === "square") {
      return el("rect", Object.assign({x: x - r, y: y - r, width: 2 * r, height: 2 * r}, common), parent);
    }
    if (shape === "triangle") {
      return el("polygon", Object.assign({points: [x, y - r * 1.2, x - r * 1.1, y + r * 0.8, x + r * 1.1, y + r * 0.8].join(" ")}, common), parent);
    }
    if (shape === "diamond") {
      return el("polygon", Object.assign({points: [x, y - r * 1.3, x + r * 1.1, y, x, y + r * 1.3, x - r * 1.1, y].join(" ")}, common), parent);
    }
    return el("circle", Object.assign({cx: x, cy: y, r: r}, common), parent);
  }

  function draw(figure, spec) {
    var W = spec.width, H = spec.height;
    var left = spec.hideY ? 20 : M.left;
    var pw = W - left - M.right, ph = H - M.top - M.bottom;
    var sx = function (v) { return left + (v - spec.x.lo) / ((spec.x.hi - spec.x.lo) || 1) * pw; };
    var sy = function (v) { return M.top + ph - (v - spec.y.lo) / ((spec.y.hi - spec.y.lo) || 1) * ph; };
    var svg = el("svg", {viewBox: "0 0 " + W + " " + H, width: W, role: "img", "aria-label": spec.description,
                         "font-family": "DejaVu Sans, Verdana, Arial, sans-serif"});
    svg.style.maxWidth = "100%";
    svg.style.height = "auto";
    (spec.bands || []).forEach(function (b) {
      el("rect", {x: sx(b[0]), y: M.top, width: sx(b[1]) - sx(b[0]), height: ph, fill: "#EFEFEF"}, svg);
    });
    if (!spec.hideY) {
      spec.y.ticks.forEach(function (t, i) {
        el("line", {x1: left, x2: left + pw, y1: sy(t), y2: sy(t), stroke: "#DDDDDD"}, svg);
        text(svg, left - 8, sy(t) + 5, spec.y.labels[i], {"text-anchor": "end"});
      });
      el("line", {x1: left, x2: left, y1: M.top, y2: M.top + ph, stroke: "#333", "stroke-width": 1.5}, svg);
      text(svg, 16, M.top + ph / 2, spec.y.label,
           {"text-anchor": "middle", transform: "rotate(-90 16 " + (M.top + ph / 2) + ")",
            "font-size": Math.min(FONT, Math.floor(ph / (0.62 * spec.y.label.length)))});
    }
    el("line", {x1: left, x2: left + pw, y1: M.top + ph, y2: M.top + ph, stroke: "#333", "stroke-width": 1.5}, svg);
    spec.x.ticks.forEach(function (t, i) {
      el("line", {x1: sx(t), x2: sx(t), y1: M.top + ph, y2: M.top + ph + 6, stroke: "#333"}, svg);
      text(svg, sx(t), M.top + ph + 24, spec.x.labels[i], {"text-anchor": "middle"});
    });
    text(svg, left + pw / 2, H - 8, spec.x.label, {"text-anchor": "middle"});
    (spec.hlines || []).forEach(function (h) {
      el("line", {x1: left, x2: left + pw, y1: sy(h.at), y2: sy(h.at), stroke: h.color, "stroke-width": 2,
                  "stroke-dasharray": h.dash ? "7 5" : ""}, svg);
      if (h.label) { text(svg, left + pw - 4, sy(h.at) - 6, h.label, {"text-anchor": "end", fill: h.color, "font-size": FONT - 2}); }
    });
    (spec.vlines || []).forEach(function (v, i) {
      el("line", {x1: sx(v.at), x2: sx(v.at), y1: M.top, y2: M.top + ph, stroke: v.color, "stroke-width": 2,
                  "stroke-dasharray": v.dash ? "6 4" : ""}, svg);
      if (v.label) { text(svg, sx(v.at) + 4, M.top + 14 + 16 * (i % 3), v.label, {fill: v.color, "font-size": FONT - 2}); }
    });
    var legendX = 8;
    (spec.series || []).forEach(function (s) {
      var xy = s.xy.map(function (p) { return [sx(p[0]), sy(p[1])]; });
      if (s.kind === "bars") {
        var xs = s.xy.map(function (p) { return p[0]; }).sort(function (a, b) { return a - b; });
        var gap = 1;
        for (var k = 1; k < xs.length; k++) { gap = Math.min(gap, xs[k] - xs[k - 1] || gap); }
        var bw = Math.max(3, (sx(spec.x.lo + gap) - sx(spec.x.lo)) * (s.share || 0.6));
        xy.forEach(function (p) {
          el("rect", {x: p[0] - bw / 2 + (s.offset || 0) * bw, y: Math.min(p[1], sy(Math.max(spec.y.lo, 0))), width: bw,
                      height: Math.abs(sy(Math.max(spec.y.lo, 0)) - p[1]), fill: s.color}, svg);
        });
      } else if (s.kind === "line" || s.kind === "step") {
        var d = "";
        xy.forEach(function (p, k) {
          if (k === 0) { d = "M" + p[0] + " " + p[1]; return; }
          if (s.kind === "step") {
            var mid = (xy[k - 1][0] + p[0]) / 2;
            d += " H" + mid + " V" + p[1] + " H" + p[0];
          } else { d += " L" + p[0] + " " + p[1]; }
        });
        el("path", {d: d, fill: "none", stroke: s.color, "stroke-width": s.width || 2.5,
                    "stroke-dasharray": s.dash ? "6 4" : ""}, svg);
      }
      if (s.kind !== "bars" && s.marker !== "none") {
        xy.forEach(function (p) { marker(svg, s.marker, p[0], p[1], s.size || 5, s.color, s.hollow); });
      }
      if (s.label) {
        if (s.kind === "bars") {
          el("rect", {x: legendX, y: 12, width: 14, height: 14, fill: s.color}, svg);
        } else {
          el("line", {x1: legendX, x2: legendX + 22, y1: 19, y2: 19, stroke: s.color, "stroke-width": 2.5}, svg);
          marker(svg, s.marker, legendX + 11, 19, 4, s.color, s.hollow);
        }
        text(svg, legendX + 28, 24, s.label, {"font-size": FONT - 2});
        legendX += 40 + s.label.length * 8;
      }
    });
    if (spec.note) {
      text(svg, left + pw / 2, M.top + 22, spec.note, {"text-anchor": "middle", "font-style": "italic", fill: "#333"});
    }
    figure.insertBefore(svg, figure.querySelector("figcaption"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("chart-data");
    if (!source) { return; }
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
      draw(figure, charts[Number(figure.getAttribute("data-chart"))]);
    });
  });
}());
