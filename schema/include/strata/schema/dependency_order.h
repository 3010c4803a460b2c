// Ordering objects so that each comes after what it depends on: used to print
// catalogs and to order a plan's creates (and, reversed, its drops).
#pragma once

#include <functional>
#include <set>
#include <vector>

namespace strata::schema {

// Kahn's algorithm over `keys` in their given order, so the output is
// deterministic. Dependencies outside `keys` are ignored; keys caught in a
// cycle come last, in their given order.
template <typename Key>
std::vector<Key> dependency_order(const std::vector<Key>& keys,
                                  const std::function<std::vector<Key>(const Key&)>& depends_on) {
  std::set<Key> pending(keys.begin(), keys.end());
  std::vector<Key> ordered;
  while (!pending.empty()) {
    bool progressed = false;
    for (const Key& key : keys) {
      if (!pending.contains(key)) continue;
      bool ready = true;
      for (const Key& dependency : depends_on(key)) {
        if (dependency != key && pending.contains(dependency)) {
          ready = false;
          break;
        }
      }
      if (!ready) continue;
      ordered.push_back(key);
      pending.erase(key);
      progressed = true;
    }
    if (!progressed) {
      for (const Key& key : keys)
        if (pending.contains(key)) ordered.push_back(key);
      break;
    }
  }
  return ordered;
}

}  // namespace strata::schema
