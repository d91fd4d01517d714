// The scaling curves of a run as an SVG plot, written directly (no plotting
// tool): two log-log panels, instantiate time and resident memory per
// instance against live instances, one line per allocator.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "report.hh"

namespace wasmhost::bench {
namespace {

constexpr double kPanelWidth = 420;
constexpr double kPanelHeight = 300;
constexpr double kMarginLeft = 70;
constexpr double kMarginTop = 50;
constexpr double kMarginBottom = 60;
constexpr double kGap = 90;

struct Series {
  std::string name;
  std::string color;
  std::vector<std::pair<double, double>> points; ///< (instances, value)
};

std::string fixed(double value, int digits = 1) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

/// The decades 10^a .. 10^b that hold every value.
std::pair<int, int> decades(const std::vector<Series> &series) {
  double low = 1e300;
  double high = 0;
  for (const auto &one : series) {
    for (const auto &[x, y] : one.points) {
      low = std::min(low, y);
      high = std::max(high, y);
    }
  }
  if (!(high > 0)) {
    return {0, 1};
  }
  low = std::max(low, high * 1e-6);
  const int a = static_cast<int>(std::floor(std::log10(low)));
  const int b = std::max(a + 1, static_cast<int>(std::ceil(std::log10(high))));
  return {a, b};
}

void panel(std::ostream &svg, double left, const std::string &title, const std::string &unit,
           const std::vector<Series> &series, const std::vector<double> &counts) {
  const double top = kMarginTop;
  const double x_low = std::log10(counts.front());
  const double x_high = std::max(x_low + 1, std::log10(counts.back()));
  const auto [y_low, y_high] = decades(series);
  auto sx = [&](double n) {
    return left + (std::log10(n) - x_low) / (x_high - x_low) * kPanelWidth;
  };
  auto sy = [&, y_low = y_low, y_high = y_high](double v) {
    const double clamped = std::max(v, std::pow(10.0, y_low));
    return top + kPanelHeight - (std::log10(clamped) - y_low) / (y_high - y_low) * kPanelHeight;
  };
  svg << "<text x=\"" << left + kPanelWidth / 2 << "\" y=\"" << top - 14
      << "\" text-anchor=\"middle\" font-weight=\"bold\">" << title << "</text>\n";
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << kPanelWidth << "\" height=\""
      << kPanelHeight << "\" fill=\"none\" stroke=\"#444\"/>\n";
  for (int d = y_low; d <= y_high; ++d) {
    const double y = sy(std::pow(10.0, d));
    svg << "<line x1=\"" << left << "\" y1=\"" << y << "\" x2=\"" << left + kPanelWidth
        << "\" y2=\"" << y << "\" stroke=\"#ddd\"/>\n";
    svg << "<text x=\"" << left - 6 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
        << (d >= 0 ? fixed(std::pow(10.0, d), 0) : fixed(std::pow(10.0, d), -d)) << "</text>\n";
  }
  for (double n : counts) {
    const double x = sx(n);
    svg << "<line x1=\"" << x << "\" y1=\"" << top << "\" x2=\"" << x << "\" y2=\""
        << top + kPanelHeight << "\" stroke=\"#ddd\"/>\n";
    svg << "<text x=\"" << x << "\" y=\"" << top + kPanelHeight + 18 << "\" text-anchor=\"middle\">"
        << fixed(n, 0) << "</text>\n";
  }
  svg << "<text x=\"" << left + kPanelWidth / 2 << "\" y=\"" << top + kPanelHeight + 40
      << "\" text-anchor=\"middle\">live instances of guest-bench.wasm</text>\n";
  svg << "<text transform=\"translate(" << left - 52 << "," << top + kPanelHeight / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << unit << "</text>\n";
  double legend_y = top + 16;
  for (const auto &one : series) {
    std::string path;
    for (const auto &[n, v] : one.points) {
      path += (path.empty() ? "M" : " L") + fixed(sx(n)) + " " + fixed(sy(v));
    }
    svg << "<path d=\"" << path << "\" fill=\"none\" stroke=\"" << one.color
        << "\" stroke-width=\"2\"/>\n";
    for (const auto &[n, v] : one.points) {
      svg << "<circle cx=\"" << fixed(sx(n)) << "\" cy=\"" << fixed(sy(v)) << "\" r=\"3\" fill=\""
          << one.color << "\"><title>" << one.name << ", " << fixed(n, 0) << ": " << fixed(v, 2)
          << " " << unit << "</title></circle>\n";
    }
    svg << "<text x=\"" << left + kPanelWidth - 10 << "\" y=\"" << legend_y
        << "\" text-anchor=\"end\" fill=\"" << one.color << "\">" << one.name << "</text>\n";
    legend_y += 16;
  }
}

} // namespace

void Report::writeSvg(const std::string &path) const {
  const auto &scale = Spec::get().scale();
  std::vector<double> counts;
  for (const auto &n : scale.at("instances")) {
    counts.push_back(n.get<double>());
  }
  const std::vector<std::string> colors{"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
  std::vector<Series> time;
  std::vector<Series> rss;
  size_t color = 0;
  for (const auto &alloc_json : scale.at("allocators")) {
    const auto alloc = alloc_json.get<std::string>();
    Series t{alloc, colors[color % colors.size()], {}};
    Series r{alloc, colors[color % colors.size()], {}};
    ++color;
    // `scale.<alloc>.<what>.<n>`, appended (GCC 12 warns wrongly about a
    // chain of `+` here, -Wrestrict).
    auto key = [&alloc](const char *what, double n) {
      std::string text = "scale.";
      text.append(alloc).append(".").append(what).append(".").append(fixed(n, 0));
      return text;
    };
    for (double n : counts) {
      // A log scale has no 0: a point measured as 0 (RSS already resident,
      // reused) is left out, and the caption says so.
      if (const Summary *f = find(key("instantiate_us", n)); f != nullptr && f->median > 0) {
        t.points.emplace_back(n, f->median);
      }
      if (const Summary *f = find(key("rss_kb_per_instance", n)); f != nullptr && f->median > 0) {
        r.points.emplace_back(n, f->median);
      }
    }
    time.push_back(std::move(t));
    rss.push_back(std::move(r));
  }
  const double width = kMarginLeft + 2 * kPanelWidth + kGap + 30;
  const double height = kMarginTop + kPanelHeight + kMarginBottom + 40;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  panel(svg, kMarginLeft, "InstancePre::instantiate, per instance", "microseconds", time, counts);
  panel(svg, kMarginLeft + kPanelWidth + kGap, "resident memory added, per instance", "KiB", rss,
        counts);
  svg << "<text x=\"" << kMarginLeft + kPanelWidth + kGap << "\" y=\""
      << kMarginTop + kPanelHeight + 56
      << "\" font-size=\"10\">(a point measured as 0 KiB, pages already resident, is not "
         "drawn)</text>\n";
  std::string throughput = "scenario loop (default options):";
  for (const auto &threads : scale.at("threads")) {
    const std::string key = "scale.scenarios_per_s." + std::to_string(threads.get<int>());
    if (const Summary *f = find(key)) {
      throughput += std::string(" ") + fixed(f->median, 0) + " scenarios/s on " +
                    std::to_string(threads.get<int>()) + " thread(s);";
    }
  }
  svg << "<text x=\"" << kMarginLeft << "\" y=\"" << height - 12 << "\">" << throughput << " "
      << info_.cpu << ", nproc " << info_.cpus << ", load " << info_.load << ", " << info_.mode
      << " run</text>\n</svg>\n";
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!(file << svg.str())) {
    throw std::runtime_error("cannot write '" + path + "'");
  }
}

} // namespace wasmhost::bench
