// SPDX-License-Identifier: BSD-3-Clause
// How the benchmarks here measure: ways of doing one thing run in rounds,
// in a fresh random order each round, so that load that comes and goes on
// the machine falls on all of them alike; each reports its median, which
// shrugs off the outliers.
#pragma once

#include <algorithm>
#include <random>
#include <vector>

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// interleave calls each(w) for every w of ways, in a fresh random order,
// then afterRound(), rounds times.
template <typename Way, typename Each, typename AfterRound>
void interleave(std::vector<Way>& ways, int rounds, Each each, AfterRound afterRound) {
  std::mt19937 rng(std::random_device{}());
  std::vector<Way*> order;
  for (auto& w : ways) order.push_back(&w);
  for (int r = 0; r < rounds; r++) {
    std::shuffle(order.begin(), order.end(), rng);
    for (Way* w : order) each(*w);
    afterRound();
  }
}
