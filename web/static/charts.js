// Department charts: 三公经费 per component (预算 vs 决算 by year) and totals by year.
// Data comes from the page's <script type="application/json" id="chart-data">; amounts are decimal strings.
(function () {
  var holder = document.getElementById("chart-data");
  if (!holder || !window.echarts) { return; }
  var data = JSON.parse(holder.textContent);
  var SIDES = ["预算", "决算"];
  function amount(figure) { return figure ? Number(figure.amount) : null; }
  function chart(el, years, series) {
    var instance = echarts.init(el, null, { renderer: "svg" });
    instance.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: SIDES, top: 0 },
      grid: { left: 48, right: 12, top: 28, bottom: 24 },
      xAxis: { type: "category", data: years },
      yAxis: { type: "value", name: "万元" },
      series: series
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }
  var years = Object.keys(data.three_public);
  document.querySelectorAll('[data-chart="three_public"]').forEach(function (el) {
    var component = el.dataset.component;
    chart(el, years, SIDES.map(function (side) {
      return { name: side, type: "bar", data: years.map(function (y) {
        return amount((data.three_public[y][component] || {})[side]);
      }) };
    }));
  });
  var totalYears = Object.keys(data.totals);
  document.querySelectorAll('[data-chart="totals"]').forEach(function (el) {
    chart(el, totalYears, SIDES.map(function (side) {
      return { name: side, type: "line", connectNulls: true, data: totalYears.map(function (y) { return amount(data.totals[y][side]); }) };
    }));
  });
})();
