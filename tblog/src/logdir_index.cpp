#include "logdir_index.hpp"

#include <algorithm>

namespace tblog::detail {
namespace {

// "a/b/c" -> "a/b"; "c" -> "" (the root).
std::string parent_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::size_t pages(std::size_t entries, std::size_t page) {
  return entries == 0 ? 1 : 1 + (entries - 1) / page;  // no overflow for a page of SIZE_MAX
}

}  // namespace

LogdirIndex::LogdirIndex(ObjectStore& store, const std::string& root, std::size_t whole_every)
    : store_(store),
      prefix_(root.empty() ? root : root + "/"),
      whole_every_(std::max<std::size_t>(1, whole_every)),
      page_(std::max<std::size_t>(1, store.keys_per_page())) {}

std::string LogdirIndex::key_prefix(const std::string& directory) const {
  return directory.empty() ? prefix_ : prefix_ + directory + "/";
}

std::size_t LogdirIndex::whole_cost() const {
  return pages(objects_, page_);
}

std::size_t LogdirIndex::per_run_cost() const {
  return runs_.size() + parents_.size();
}

IndexPass LogdirIndex::update() {
  IndexPass pass;
  pass.whole =
      !listed_ || passes_since_whole_ + 1 >= whole_every_ || whole_cost() <= per_run_cost();
  if (pass.whole) {
    list_whole(pass.lists);
  } else {
    list_per_run(pass.lists);
  }
  return pass;
}

bool LogdirIndex::add(const StoredObject& object) {
  const std::string relative = object.key.substr(prefix_.size());
  const std::string directory = parent_of(relative);
  for (std::string d = directory; directories_.insert(d).second && !d.empty();) d = parent_of(d);
  const std::string name = relative.substr(directory.empty() ? 0 : directory.size() + 1);
  if (!is_event_file_name(name)) return false;
  IndexedRun& run = runs_[directory.empty() ? "." : directory];
  if (run.name.empty()) {
    run.name = directory.empty() ? "." : directory;
    run.directory = key_prefix(directory);
    if (!run.directory.empty()) run.directory.pop_back();
  }
  // Listings come in key order, a run's after its last key: appending keeps the order.
  if (run.event_files.empty() || run.event_files.back().key < object.key) {
    run.event_files.push_back(object);
    return true;
  }
  const auto at =
      std::lower_bound(run.event_files.begin(), run.event_files.end(), object.key,
                       [](const StoredObject& o, const std::string& key) { return o.key < key; });
  if (at != run.event_files.end() && at->key == object.key) return false;
  run.event_files.insert(at, object);
  return true;
}

void LogdirIndex::find_parents() {
  parents_.clear();
  for (const auto& [name, run] : runs_) {
    if (name == ".") continue;
    for (std::string d = parent_of(name);; d = parent_of(d)) {
      if (runs_.count(d.empty() ? "." : d) == 0) parents_.insert(d);
      if (d.empty()) break;
    }
  }
}

void LogdirIndex::list_whole(std::size_t& lists) {
  ObjectListing listing = store_.list({prefix_, "", false}, &lists);
  runs_.clear();
  directories_.clear();
  for (const StoredObject& object : listing.objects) add(object);
  objects_ = listing.objects.size();
  find_parents();
  passes_since_whole_ = 0;
  listed_ = true;
}

void LogdirIndex::explore(const std::string& directory, std::size_t& lists) {
  const ObjectListing listing = store_.list({key_prefix(directory), "", false}, &lists);
  for (const StoredObject& object : listing.objects) add(object);
  objects_ += listing.objects.size();
}

void LogdirIndex::list_per_run(std::size_t& lists) {
  ++passes_since_whole_;
  std::vector<std::string> found;  // directories not seen before: explored after
  auto note = [&](const std::vector<std::string>& directories) {
    for (const std::string& d : directories) {
      std::string relative = d.substr(prefix_.size());
      relative.pop_back();  // its '/'
      if (directories_.count(relative) == 0) found.push_back(std::move(relative));
    }
  };
  std::vector<std::pair<std::string, std::string>> asks;  // (directory, after this key)
  for (const auto& [name, run] : runs_) {
    asks.emplace_back(name == "." ? "" : name,
                      run.event_files.empty() ? "" : run.event_files.back().key);
  }
  for (const std::string& parent : parents_) asks.emplace_back(parent, "");
  for (const auto& [directory, after] : asks) {
    const ObjectListing listing = store_.list({key_prefix(directory), after, true}, &lists);
    // Only new event files are counted: other objects come back each pass (a parent's are all
    // listed again), and the next whole listing counts them.
    for (const StoredObject& object : listing.objects) objects_ += add(object) ? 1 : 0;
    note(listing.directories);
  }
  for (const std::string& directory : found) {
    if (directories_.count(directory) == 0) explore(directory, lists);
  }
  find_parents();
}

std::vector<RunFiles> LogdirIndex::run_files() const {
  std::vector<RunFiles> out;
  out.reserve(runs_.size());
  for (const auto& [name, run] : runs_) {
    RunFiles& files = out.emplace_back();
    files.name = name;
    files.directory = store_.url(run.directory);
    files.event_files.reserve(run.event_files.size());
    for (const StoredObject& object : run.event_files)
      files.event_files.push_back(store_.url(object.key));
  }
  return out;
}

}  // namespace tblog::detail
