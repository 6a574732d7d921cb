#include "checkpoint.hpp"

#include "../usage_error.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>

#include "tblog/summary_writer.hpp"

namespace trainers {
namespace {

constexpr const char* kCheckpointFile = "checkpoint.pt";

void write_number(torch::serialize::OutputArchive& a, const std::string& key, double v) {
  a.write(key, torch::tensor(v, torch::kFloat64));
}
double read_number(torch::serialize::InputArchive& a, const std::string& key) {
  torch::Tensor t;
  a.read(key, t);
  return t.item<double>();
}
std::int64_t read_int(torch::serialize::InputArchive& a, const std::string& key) {
  torch::Tensor t;
  a.read(key, t);
  return t.item<std::int64_t>();
}

std::string settings_text(const ResumeSettings& settings) {
  std::string text;
  for (const auto& [option, value] : settings) text += option + "\t" + value + "\n";
  return text;
}

// The first option whose recorded value differs from this run's, named with both values.
void check_settings(torch::serialize::InputArchive& archive, const std::string& path,
                    const ResumeSettings& settings) {
  c10::IValue recorded;
  if (!archive.try_read("settings", recorded) || !recorded.isString())
    throw std::runtime_error(path +
                             ": a checkpoint without its run's settings (made by an "
                             "older tbtrain); start the run afresh in a new directory");
  std::map<std::string, std::string> then;
  std::istringstream lines(recorded.toStringRef());
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) then[line.substr(0, tab)] = line.substr(tab + 1);
  }
  for (const auto& [option, value] : settings) {
    const auto it = then.find(option);
    const std::string before = it == then.end() ? "(not recorded)" : it->second;
    if (before != value) {
      throw UsageError("--resume: " + path + " was made with " + option + " " + before +
                       ", this run has " + option + " " + value +
                       " (what shapes the training cannot change on resume; docs/trainers.md)");
    }
  }
}

}  // namespace

std::string checkpoint_path(const std::string& logdir) {
  return (std::filesystem::path(logdir) / kCheckpointFile).string();
}

void save_checkpoint(const std::string& logdir, torch::nn::Module& model,
                     const torch::optim::Optimizer& optimizer, const TrainingPosition& p,
                     const ResumeSettings& settings) {
  torch::serialize::OutputArchive archive, model_archive, optimizer_archive;
  model.save(model_archive);
  optimizer.save(optimizer_archive);
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  {
    at::Generator generator = at::detail::getDefaultCPUGenerator();  // a handle to it
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write("rng", generator.get_state());
  }
  archive.write("settings", c10::IValue(settings_text(settings)));
  archive.write("order", p.order);
  archive.write("epoch", torch::tensor(std::int64_t{p.epoch}));
  archive.write("next_batch", torch::tensor(p.next_batch));
  archive.write("step", torch::tensor(p.step));
  archive.write("examples", torch::tensor(p.examples));
  write_number(archive, "training_seconds", p.training_seconds);
  write_number(archive, "epoch_loss", p.epoch_loss);
  write_number(archive, "epoch_correct", p.epoch_correct);
  write_number(archive, "epoch_n", p.epoch_n);
  write_number(archive, "epoch_batches", p.epoch_batches);
  // The callbacks' state: names in one string (an archive lists no keys), tensors by position.
  std::string names;
  std::size_t i = 0;
  for (const auto& [name, tensor] : p.callbacks) {
    names += name + "\n";
    archive.write("callback_state/" + std::to_string(i++), tensor);
  }
  archive.write("callback_names", c10::IValue(names));
  const std::string path = checkpoint_path(logdir), tmp = path + ".tmp";
  archive.save_to(tmp);
  std::filesystem::rename(tmp, path);  // atomic: the old checkpoint or the new, never half
}

std::optional<TrainingPosition> load_checkpoint(const std::string& logdir, torch::nn::Module& model,
                                                torch::optim::Optimizer& optimizer,
                                                const ResumeSettings& settings) {
  const std::string path = checkpoint_path(logdir);
  std::error_code ec;
  const auto status = std::filesystem::symlink_status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) return std::nullopt;
  // LibTorch would block opening a FIFO, or read a device without end.
  if (!std::filesystem::is_regular_file(path, ec))
    throw std::runtime_error(path + ": not a regular file, so not a checkpoint");
  try {
    torch::serialize::InputArchive archive, model_archive, optimizer_archive;
    archive.load_from(path);
    check_settings(archive, path, settings);
    archive.read("model", model_archive);
    archive.read("optimizer", optimizer_archive);
    model.load(model_archive);
    optimizer.load(optimizer_archive);
    torch::Tensor rng;
    archive.read("rng", rng);
    {
      at::Generator generator = at::detail::getDefaultCPUGenerator();  // a handle to it
      std::lock_guard<std::mutex> lock(generator.mutex());
      generator.set_state(rng);
    }
    TrainingPosition p;
    archive.read("order", p.order);
    p.epoch = static_cast<int>(read_int(archive, "epoch"));
    p.next_batch = read_int(archive, "next_batch");
    p.step = read_int(archive, "step");
    p.examples = read_int(archive, "examples");
    p.training_seconds = read_number(archive, "training_seconds");
    p.epoch_loss = read_number(archive, "epoch_loss");
    p.epoch_correct = read_number(archive, "epoch_correct");
    p.epoch_n = read_number(archive, "epoch_n");
    p.epoch_batches = read_number(archive, "epoch_batches");
    c10::IValue names;
    if (archive.try_read("callback_names", names) && names.isString()) {
      const std::string& text = names.toStringRef();
      std::size_t i = 0;
      for (std::size_t at = 0, end; (end = text.find('\n', at)) != std::string::npos;
           at = end + 1) {
        torch::Tensor tensor;
        archive.read("callback_state/" + std::to_string(i++), tensor);
        p.callbacks.emplace(text.substr(at, end - at), std::move(tensor));
      }
    }
    return p;
  } catch (const c10::Error& e) {
    throw std::runtime_error(path + ": not a readable checkpoint of this model (" +
                             e.what_without_backtrace() + ")");
  }
}

Checkpointing::Checkpointing(std::string logdir, std::int64_t every, torch::nn::Module& model,
                             torch::optim::Optimizer& optimizer, const tblog::Training& training,
                             ResumeSettings settings, const TrainingPosition& position)
    : logdir_(std::move(logdir)),
      every_(every),
      model_(model),
      optimizer_(optimizer),
      training_(training),
      settings_(std::move(settings)),
      position_(position) {}

void Checkpointing::on_batch_end(tblog::TrainState& state, const tblog::BatchResult&) {
  if (every_ <= 0 || state.step % every_ != 0) return;
  if (state.writer) state.writer->flush();
  TrainingPosition position = position_;
  position.callbacks = training_.state_dict();
  save_checkpoint(logdir_, model_, optimizer_, position, settings_);
}

void Checkpointing::on_train_end(tblog::TrainState& state) {
  // A finished run, or one a callback ended because it had done its job (EarlyStopping); a run
  // stopped by a failure keeps its checkpoint to resume from.
  if (every_ <= 0 || (state.stop && state.stop_is_failure)) return;
  std::error_code ec;
  std::filesystem::remove(checkpoint_path(logdir_), ec);
}

}  // namespace trainers
