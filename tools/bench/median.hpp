// median: the middle of a benchmark's samples, which every benchmark here
// reports (it shrugs off the outliers that other load on the machine adds).
#pragma once

#include <algorithm>
#include <vector>

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
