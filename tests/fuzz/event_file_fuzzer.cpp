// libFuzzer target for the event-file reader, mutating *structurally*: an input is an event file;
// the custom mutator splits it into records, parses a payload as an Event and changes one field
// through protobuf reflection (shapes, dtypes, counts, plugin names, repeated fields...), then
// frames every record again with valid CRCs, so mutations reach the decoder instead of dying at
// the CRC check. A share of mutations still damages the raw bytes, framing included.
//
// Build: cmake -DTBLOG_FUZZ=ON with clang (see .ci/run). Run: event_file_fuzzer CORPUS_DIR.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "little_endian.hpp"
#include "tblog/byte_source.hpp"
#include "tblog/event.pb.h"
#include "tblog/reader.hpp"
#include "tblog/record.hpp"
#include "tblog/value_views.hpp"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Splits `bytes` into record payloads by their length fields, ignoring CRCs; stops at the first
// length that does not fit.
std::vector<std::string> split_records(const std::string& bytes) {
  std::vector<std::string> payloads;
  std::size_t at = 0;
  while (at + tblog::kRecordOverhead <= bytes.size()) {
    const std::uint64_t length = tblog::detail::load_le64(bytes.data() + at);
    if (length > bytes.size() - at - tblog::kRecordOverhead) break;
    payloads.push_back(bytes.substr(at + tblog::kRecordHeaderSize, length));
    at += tblog::kRecordOverhead + length;
  }
  return payloads;
}

class StructuralMutator {
 public:
  explicit StructuralMutator(unsigned seed) : rng_(seed) {}

  void mutate(Message& m, int depth = 0) {
    const auto* d = m.GetDescriptor();
    if (d->field_count() == 0) return;
    const FieldDescriptor* f = d->field(pick(d->field_count()));
    const Reflection* r = m.GetReflection();
    if (f->is_repeated()) return mutate_repeated(m, f, depth);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (depth < 8) mutate(*r->MutableMessage(&m, f), depth + 1);
      return;
    }
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return r->SetInt32(&m, f, static_cast<std::int32_t>(integer()));
      case FieldDescriptor::CPPTYPE_INT64:
        return r->SetInt64(&m, f, integer());
      case FieldDescriptor::CPPTYPE_UINT32:
        return r->SetUInt32(&m, f, static_cast<std::uint32_t>(integer()));
      case FieldDescriptor::CPPTYPE_UINT64:
        return r->SetUInt64(&m, f, static_cast<std::uint64_t>(integer()));
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return r->SetDouble(&m, f, real());
      case FieldDescriptor::CPPTYPE_FLOAT:
        return r->SetFloat(&m, f, static_cast<float>(real()));
      case FieldDescriptor::CPPTYPE_BOOL:
        return r->SetBool(&m, f, !r->GetBool(m, f));
      case FieldDescriptor::CPPTYPE_ENUM:
        return r->SetEnumValue(&m, f, static_cast<int>(integer() % 32));
      case FieldDescriptor::CPPTYPE_STRING:
        return r->SetString(&m, f, text(r->GetString(m, f)));
      default:
        return;
    }
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::int64_t integer() {
    static const std::int64_t kInteresting[] = {0,
                                                1,
                                                -1,
                                                2,
                                                3,
                                                7,
                                                255,
                                                1 << 20,
                                                std::numeric_limits<std::int32_t>::max(),
                                                std::int64_t(1) << 32,
                                                std::int64_t(1) << 40,
                                                std::numeric_limits<std::int64_t>::max(),
                                                std::numeric_limits<std::int64_t>::min()};
    if (pick(3) == 0) return static_cast<std::int64_t>(rng_());
    return kInteresting[pick(sizeof kInteresting / sizeof *kInteresting)];
  }

  double real() {
    static const double kInteresting[] = {0.0,
                                          -0.0,
                                          1.0,
                                          -1.0,
                                          1e308,
                                          -1e308,
                                          5e-324,
                                          std::numeric_limits<double>::infinity(),
                                          std::numeric_limits<double>::quiet_NaN()};
    if (pick(3) == 0) return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
    return kInteresting[pick(sizeof kInteresting / sizeof *kInteresting)];
  }

  std::string text(std::string s) {
    static const char* kPlugins[] = {"scalars", "histograms",     "images",    "text",
                                     "hparams", "custom_scalars", "pr_curves", ""};
    switch (pick(4)) {
      case 0:
        return kPlugins[pick(sizeof kPlugins / sizeof *kPlugins)];
      case 1:
        s.resize(s.empty() ? 0 : static_cast<std::size_t>(pick(static_cast<int>(s.size()))));
        return s;
      default: {
        const std::size_t room = s.size() + 64;
        s.resize(room);
        s.resize(LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(s.data()), room - 64, room));
        return s;
      }
    }
  }

  void mutate_repeated(Message& m, const FieldDescriptor* f, int depth) {
    const Reflection* r = m.GetReflection();
    const int n = r->FieldSize(m, f);
    const int action = n == 0 ? 0 : pick(4);
    if (action == 1) return r->RemoveLast(&m, f);
    if (action == 2 && n >= 2) return r->SwapElements(&m, f, pick(n), pick(n));
    if (action == 3 && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (depth < 8) mutate(*r->MutableRepeatedMessage(&m, f, pick(n)), depth + 1);
      return;
    }
    switch (f->cpp_type()) {  // add an element
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 8) mutate(*r->AddMessage(&m, f), depth + 1);
        return;
      case FieldDescriptor::CPPTYPE_INT32:
        return r->AddInt32(&m, f, static_cast<std::int32_t>(integer()));
      case FieldDescriptor::CPPTYPE_INT64:
        return r->AddInt64(&m, f, integer());
      case FieldDescriptor::CPPTYPE_UINT32:
        return r->AddUInt32(&m, f, static_cast<std::uint32_t>(integer()));
      case FieldDescriptor::CPPTYPE_UINT64:
        return r->AddUInt64(&m, f, static_cast<std::uint64_t>(integer()));
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return r->AddDouble(&m, f, real());
      case FieldDescriptor::CPPTYPE_FLOAT:
        return r->AddFloat(&m, f, static_cast<float>(real()));
      case FieldDescriptor::CPPTYPE_BOOL:
        return r->AddBool(&m, f, pick(2) == 1);
      case FieldDescriptor::CPPTYPE_ENUM:
        return r->AddEnumValue(&m, f, static_cast<int>(integer() % 32));
      case FieldDescriptor::CPPTYPE_STRING:
        return r->AddString(&m, f, text({}));
      default:
        return;
    }
  }

  std::mt19937_64 rng_;
};

// Reads everything the way `tblog cat` and `verify` do, touching every decoded field.
void read_all(std::string bytes) {
  tblog::EventFileReader reader(tblog::memory_source(std::move(bytes), "input"));
  tblog::Event event;
  double sink = 0;
  for (int records = 0; records < 100000; ++records) {
    const tblog::ReadStatus status = reader.next(event);
    if (status == tblog::ReadStatus::kEvent) {
      for (const auto& v : event.values) {
        // Each kind's description reads what its decoder kept (a PR curve's middle column...).
        sink += static_cast<double>(tblog::describe(v).size() + tblog::describe_json(v).size());
        for (const auto& b : tblog::histogram_buckets(v)) sink += b.left + b.right + b.count;
        sink += static_cast<double>(tblog::images_of(v).encoded.size() + tblog::text_of(v).size() +
                                    tblog::mesh_part_of(v).part.size());
      }
      continue;
    }
    if (status == tblog::ReadStatus::kCorrupt && reader.skip_corruption()) continue;
    break;
  }
  volatile double keep = sink;
  (void)keep;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Read from memory (tblog/byte_source.hpp): the same reader as for a file, without the file.
  read_all(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  std::mt19937 rng(seed);
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> payloads = split_records(input);
  if (payloads.empty() || rng() % 5 == 0) return LLVMFuzzerMutate(data, size, max_size);

  std::string& target = payloads[rng() % payloads.size()];
  tblog::pb::Event event;
  if (rng() % 8 != 0 && event.ParseFromString(target)) {
    StructuralMutator mutator(rng());
    const int changes = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < changes; ++i) mutator.mutate(event);
    target = event.SerializeAsString();
  } else if (rng() % 2 == 0 && payloads.size() < 64) {
    payloads.push_back(target);  // a repeated record
  } else {
    const std::size_t room = target.size() + 64;
    target.resize(room);
    target.resize(LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(target.data()), room - 64, room));
  }
  std::string framed;
  for (const auto& p : payloads) tblog::append_record(framed, p);
  if (framed.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, framed.data(), framed.size());
  return framed.size();
}
