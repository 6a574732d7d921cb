// The runs of a logdir kept in an object store, found again pass after pass (the data server's
// reload) at the fewest list requests. Two ways to list, chosen per pass:
//  - whole: every key under the logdir, a request per 1,000 objects; it sees everything (new runs
//    at any depth, vanished objects);
//  - per run: each run's directory one level deep after the last event file seen (our objects are
//    written once and named in order), and each directory above runs one level deep for new
//    directories (explored whole once found); a request per run and per such directory.
// The cheaper of the two is taken, and the whole listing at least every `whole_every` passes: it
// is the one that sees what per-run listing cannot (a new directory that sorts before a run's last
// event file, an event file named before the last one, objects deleted). Internal to tblog.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "remote/object_store.hpp"
#include "tblog/reader.hpp"

namespace tblog::detail {

struct IndexedRun {
  std::string name;                       // relative to the logdir, "." for the logdir itself
  std::string directory;                  // its key ("" for a store's root)
  std::vector<StoredObject> event_files;  // in key order
};

struct IndexPass {
  bool whole = false;     // listed whole (else per run)
  std::size_t lists = 0;  // list requests it took
};

class LogdirIndex {
 public:
  // `root`: the logdir's key in the store ("" for the store's root, no trailing '/').
  LogdirIndex(ObjectStore& store, const std::string& root, std::size_t whole_every = 10);

  IndexPass update();
  const std::map<std::string, IndexedRun>& runs() const { return runs_; }
  // The runs as find_runs gives them: by name, the files named by the store's URLs.
  std::vector<RunFiles> run_files() const;

  // What a pass would cost each way now, in list requests (for tests and the server's log).
  std::size_t whole_cost() const;
  std::size_t per_run_cost() const;

 private:
  void list_whole(std::size_t& lists);
  void list_per_run(std::size_t& lists);
  void explore(const std::string& directory, std::size_t& lists);
  bool add(const StoredObject& object);  // true: a new event file
  void find_parents();
  std::string key_prefix(const std::string& directory) const;

  ObjectStore& store_;
  std::string prefix_;  // the root with its '/' ("" for a store's root)
  std::size_t whole_every_;
  std::size_t page_;
  std::map<std::string, IndexedRun> runs_;
  std::set<std::string> directories_;  // every directory seen (relative, "" the root)
  std::set<std::string> parents_;      // non-run directories with runs below them
  std::size_t objects_ = 0;            // every object under the root, as last counted
  std::size_t passes_since_whole_ = 0;
  bool listed_ = false;
};

}  // namespace tblog::detail
