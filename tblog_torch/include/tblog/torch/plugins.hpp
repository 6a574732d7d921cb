/// @file
/// Ready callbacks (tblog/torch/callbacks.hpp) that log what tbtrain logs, under the same tags:
/// add_standard_plugins() adds them all, or add the ones you want with Training::add<...>().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "tblog/graph.hpp"
#include "tblog/hparams.hpp"
#include "tblog/torch/callbacks.hpp"
#include "tblog/torch/deconvnet.hpp"
#include "tblog/torch/export.hpp"
#include "tblog/torch/model_summary.hpp"
#include "tblog/torch/occlusion.hpp"
#include "tblog/torch/probes.hpp"

namespace tblog {

namespace torch_detail {
class BackgroundWork;
class KeptViews;
}  // namespace torch_detail

/// train/loss, train/accuracy (when outputs and targets are given), train/learning_rate (one
/// series per parameter group: `train/learning_rate/group_<i>` when there are several) and
/// perf/examples_per_second every `every` steps, as means over the steps since the last point;
/// `<split>/loss` and `<split>/accuracy` at each validation (step = optimizer step); and by epoch
/// (step = epoch, so runs of any batch size line up): Epoch/train_loss, Epoch/train_accuracy,
/// `Epoch/<split>_loss`, `Epoch/<split>_accuracy`. Sets state.metrics to those Epoch/ values.
/// In a data-parallel loop (state.reduce_sum set) the train means are over every process. Its
/// windows survive a checkpoint (state_dict): a resumed run's first point covers the steps
/// since the last point before the checkpoint, as an uninterrupted run's does.
class TBLOG_TORCH_API TrainingScalars : public LoggingCallback {
 public:
  explicit TrainingScalars(std::int64_t every = 50, std::string split = "test");
  void on_epoch_begin(TrainState& state) override;
  void on_batch_end(TrainState& state, const BatchResult& batch) override;
  void on_validation_end(TrainState& state, const ValidationResult& validation) override;
  void on_epoch_end(TrainState& state) override;
  std::string state_key() const override { return "TrainingScalars"; }
  CallbackState state_dict() const override;
  void load_state_dict(const CallbackState& state) override;

 private:
  /// One batch's numbers, computed once for both windows: on the host where the tensors are
  /// (read in place), else as tensors on their device (no synchronisation per batch).
  struct BatchNumbers {
    double loss = 0, correct = 0;
    at::Tensor device_loss, device_correct;
    std::int64_t examples = 0, labelled = 0;
  };
  struct Window {  ///< running sums, kept on the device until a point is written
    double loss = 0, correct = 0;
    at::Tensor device_loss, device_correct;
    std::int64_t batches = 0, examples = 0, labelled = 0;
    void add(const BatchNumbers& batch);
    /// The sums on the host, over every process (state.sum_over_processes): what a point shows.
    void settle(const TrainState& state);
    double mean_loss() const { return loss / static_cast<double>(batches); }
    double accuracy() const { return correct / static_cast<double>(labelled); }
    at::Tensor saved() const;  ///< [loss, correct, batches, examples, labelled], float64
    void load(const at::Tensor& saved);
  };
  static BatchNumbers numbers_of(const BatchResult& batch);
  std::int64_t every_;
  std::string split_;
  Window window_, epoch_;
  double window_start_ = 0;  ///< seconds, steady clock
};

/// ModelSummary (tblog/torch/model_summary.hpp) of state.module every `every` steps, with the
/// update ratio measured over those steps' optimizer step: the untrained weights at step 0 (not
/// again when a run resumes from a checkpoint at a later step), and the final weights at the end
/// of a run that was not stopped by a failure, unless that step was just logged. `parameters`,
/// when given, names the tensors to summarise instead of state.module's parameters (a model's own
/// selection and names: "W1" for the first conv layer's weights); it is asked once, when training
/// begins (after a checkpoint is loaded).
class TBLOG_TORCH_API ModelSummaries : public LoggingCallback {
 public:
  explicit ModelSummaries(std::int64_t every = 100, ModelSummaryOptions options = {},
                          std::function<NamedTensors()> parameters = {});
  void on_train_begin(TrainState& state) override;
  void on_before_optimizer_step(TrainState& state) override;
  void on_batch_end(TrainState& state, const BatchResult& batch) override;
  void on_train_end(TrainState& state) override;

 private:
  std::int64_t every_;
  ModelSummaryOptions options_;
  std::function<NamedTensors()> parameters_;
  std::unique_ptr<ModelSummary> summary_;
};

/// Activation probes sampled every `every` steps, in training batches only (not in validation
/// passes): hand probes() to your model's forward().
class TBLOG_TORCH_API ActivationProbes : public LoggingCallback {
 public:
  ActivationProbes(SummaryWriter& writer, ProbeOptions options = {});
  Probes& probes() { return probes_; }
  void on_batch_begin(TrainState& state) override;
  void on_batch_end(TrainState& state, const BatchResult& batch) override;

 private:
  Probes probes_;
};

/// `filters/<layer>`: the first convolution's weights (the first 4-d parameter, or the one named
/// `parameter`) as a numbered grid, before training and after each epoch.
class TBLOG_TORCH_API FilterGrids : public LoggingCallback {
 public:
  explicit FilterGrids(std::string parameter = {});
  void on_train_begin(TrainState& state) override;
  void on_epoch_end(TrainState& state) override;

 private:
  void log(TrainState& state);
  std::string parameter_;
};

/// The GRAPHS dashboard, once per run when training begins (not again when a run resumes from a
/// checkpoint at a later step): state.module's tree (tblog/torch/graph.hpp), and its layers as
/// the conceptual graph under the tag "layers". `graph` and `layers`, when given, draw them
/// instead (a model's own graph, with its shapes; its layers under the model's name).
class TBLOG_TORCH_API ModelGraph : public LoggingCallback {
 public:
  explicit ModelGraph(std::function<Graph()> graph = {}, std::function<ModelLayer()> layers = {});
  void on_train_begin(TrainState& state) override;

 private:
  std::function<Graph()> graph_;
  std::function<ModelLayer()> layers_;
};

/// At each validation (step = epoch): `<split>_set/confusion_matrix` (class names on both axes),
/// `pr_curves/<class>` (one per class, from the softmax of the outputs) and, when images are given,
/// `<split>_set/most_wrong` (the `most_wrong` most confident mistakes). `in_background`: they
/// are drawn on a worker thread while training goes on (the next validation, and train_end, wait
/// for them); the outputs and targets are copied for it, the images are read as they are, so
/// pass images nothing writes into meanwhile (a dataset's tensor).
class TBLOG_TORCH_API ClassifierDiagnostics : public LoggingCallback {
 public:
  explicit ClassifierDiagnostics(std::vector<std::string> class_names = {}, int most_wrong = 16,
                                 std::string split = "test", bool in_background = false);
  ~ClassifierDiagnostics() override;
  ClassifierDiagnostics(const ClassifierDiagnostics&) = delete;
  ClassifierDiagnostics& operator=(const ClassifierDiagnostics&) = delete;
  void on_validation_end(TrainState& state, const ValidationResult& validation) override;
  void on_train_end(TrainState& state) override;

 private:
  void draw(SummaryWriter& writer, int epoch, const at::Tensor& outputs, const at::Tensor& targets,
            const at::Tensor& images, const at::Tensor& keep,
            const std::vector<std::string>& names);
  std::vector<std::string> class_names_;
  int most_wrong_;
  std::string split_;
  std::unique_ptr<torch_detail::BackgroundWork> background_;  ///< null: on the caller's thread
};

/// A model's features of its inputs (N x ...), N x D: its penultimate layer, what the PROJECTOR
/// shows. An undefined result: the model has none to offer.
using FeaturesOf = std::function<at::Tensor(const at::Tensor& inputs)>;

/// `<split>_features` in the PROJECTOR at the end of training: the last validation's features (or
/// outputs) of its first `points` examples, with their class ("label"), the model's guess
/// ("predicted") and whether it was right ("correct"), with thumbnails when images were given.
/// `features_of`, when given, computes the features at the end from those examples' inputs
/// (ValidationResult::inputs), with the module in eval mode: a penultimate layer, which the loop
/// need not compute at every validation. Nothing is written when it returns an undefined tensor.
class TBLOG_TORCH_API Embeddings : public LoggingCallback {
 public:
  explicit Embeddings(std::vector<std::string> class_names = {}, int points = 1000,
                      std::string split = "test", FeaturesOf features_of = {});
  ~Embeddings() override;
  Embeddings(const Embeddings&) = delete;
  Embeddings& operator=(const Embeddings&) = delete;
  void on_validation_end(TrainState& state, const ValidationResult& validation) override;
  void on_train_end(TrainState& state) override;

 private:
  std::vector<std::string> class_names_;
  int points_;
  std::string split_;
  FeaturesOf features_of_;
  /// The last validation's first points, as they were given.
  at::Tensor features_, inputs_, predictions_, labels_, images_;
  std::unique_ptr<torch_detail::KeptViews> kept_;  ///< their versions
};

struct ConvVisualizationOptions {
  int top = 9;                 ///< activations per feature map in the deconvnet figures
  int searched_images = 1000;  ///< validation images searched for them (the first ones)
  int evolution_images = 128;  ///< validation images of each evolution frame (0: no frames)
  int occlusion_images = 4;    ///< validation images with occlusion maps (0: none)
  OcclusionOptions occlusion;  ///< the grey square's size, stride and fill
  /// The deconvnet top figures at every validation (step = epoch), not only at the end.
  bool top_each_validation = false;
  /// The evolution frames are drawn on a worker thread from a copy of the conv weights, while
  /// training goes on (the next validation, and train_end, wait for them).
  bool in_background = false;
};

/// Zeiler & Fergus's figures of a conv net, from the validation set (ValidationResult::inputs,
/// what the model saw, and ValidationResult::images, the pictures): at each validation (step =
/// epoch), `deconvnet/evolution_<last layer>`, the strongest projection of its first eight feature
/// maps; at the end of training `deconvnet/<layer>_top9` for every layer (each feature map's
/// strongest activations projected to pixels beside the patches they came from), the evolution as
/// an animation, and occlusion/maps (P(true class) and the most likely label with a grey square at
/// each position). `stack` holds handles to the model's own conv weights; `classify` runs the
/// model (logits out) for the occlusion maps. The module is put in eval mode while they are drawn.
/// An empty `stack` (a model that reads images spatially without conv layers: an RNN over an
/// image's rows) gets the occlusion maps only.
class TBLOG_TORCH_API ConvVisualizations : public LoggingCallback {
 public:
  ConvVisualizations(ConvStack stack, Classify classify, std::vector<std::string> class_names = {},
                     ConvVisualizationOptions options = {});
  ~ConvVisualizations() override;
  ConvVisualizations(const ConvVisualizations&) = delete;
  ConvVisualizations& operator=(const ConvVisualizations&) = delete;
  void on_validation_end(TrainState& state, const ValidationResult& validation) override;
  void on_train_end(TrainState& state) override;

 private:
  void evolution_frame(SummaryWriter& writer, int epoch, const ConvStack& stack,
                       const at::Tensor& subset);
  void top_figures(SummaryWriter& writer, std::int64_t step);
  ConvStack stack_;
  Classify classify_;
  std::vector<std::string> class_names_;
  ConvVisualizationOptions options_;
  at::Tensor inputs_, images_, labels_;  ///< the last validation's first searched_images
  std::unique_ptr<torch_detail::KeptViews> kept_;  ///< their versions
  std::vector<Image> evolution_;
  std::unique_ptr<torch_detail::BackgroundWork> background_;  ///< null: on the caller's thread
};

/// TrainingScalars' Epoch/ tags for a validation set named `split`: `Epoch/<split>_accuracy`,
/// `Epoch/<split>_loss`, `Epoch/train_accuracy`, `Epoch/train_loss` (HParamsSession's columns).
TBLOG_TORCH_API std::vector<std::string> standard_metric_tags(const std::string& split);

/// The run as an HParams session: its hyperparameters at the start, the final Epoch/ metrics as
/// the experiment's columns (empty `metric_tags`: standard_metric_tags("test");
/// add_standard_plugins passes its split's), SUCCESS at the end (FAILURE when training was
/// stopped by a non-finite loss, a callback or an exception; a stop that is no failure, as
/// EarlyStopping's, ends as SUCCESS).
class TBLOG_TORCH_API HParamsSession : public LoggingCallback {
 public:
  explicit HParamsSession(HParams hparams, std::vector<std::string> metric_tags = {});
  void on_train_begin(TrainState& state) override;
  void on_train_end(TrainState& state) override;

 private:
  HParams hparams_;
  std::vector<std::string> metric_tags_;
};

/// Stops training at the first non-finite loss, saying where as the text "stopped" (once: later
/// losses are not looked at). Logs only when the Training has a writer.
class TBLOG_TORCH_API StopOnNonFinite : public Callback {
 public:
  void on_batch_end(TrainState& state, const BatchResult& batch) override;
};

/// Ends training once `metric` (a state.metrics name, e.g. TrainingScalars' "Epoch/test_loss":
/// add it after TrainingScalars) has not improved by more than `min_delta` for `patience` epochs
/// in a row, as Lightning's EarlyStopping: the text "stopped" says so, and the run ends as a
/// success. A metric that turns NaN or infinite stops it as a failure. Throws InvalidArgument at
/// the first epoch's end when no such metric was computed, naming those that were. Its best
/// value and count survive a checkpoint (state_dict).
class TBLOG_TORCH_API EarlyStopping : public Callback {
 public:
  enum class Mode { kMin, kMax };  ///< lower is better (a loss), or higher (an accuracy)
  explicit EarlyStopping(std::string metric = "Epoch/test_loss", int patience = 3,
                         Mode mode = Mode::kMin, double min_delta = 0);
  void on_epoch_end(TrainState& state) override;
  std::string state_key() const override { return "EarlyStopping"; }
  CallbackState state_dict() const override;
  void load_state_dict(const CallbackState& state) override;

 private:
  std::string metric_;
  int patience_;
  Mode mode_;
  double min_delta_;
  double best_ = 0;
  bool has_best_ = false;
  int waited_ = 0;  ///< epochs since the last improvement
};

/// Says on `out` (std::cerr by default) when the writer's uploads to an s3:// logdir have failed
/// for `warn_after`: once for each run of failures, quoting the server's last answer and what
/// waits in the spool; and again once they succeed. Training goes on meanwhile: nothing is lost
/// while the spool holds it, but a job whose key may not write should not learn it hours later
/// at close(). Reads SummaryWriter::upload_backlog() (a lock, no I/O) at most once a second in
/// batch_end, and at each epoch's end and at train_end. Silent for a local logdir. When `out` is
/// std::cerr on a terminal, each message first erases the terminal's current line, so that it
/// stands on a line of its own even where a progress bar is being redrawn there.
class TBLOG_TORCH_API UploadWatch : public Callback {
 public:
  explicit UploadWatch(std::chrono::milliseconds warn_after = std::chrono::seconds(60));
  UploadWatch(std::chrono::milliseconds warn_after, std::ostream& out);
  void on_batch_end(TrainState& state, const BatchResult& batch) override;
  void on_epoch_end(TrainState& state) override;
  void on_train_end(TrainState& state) override;

 private:
  void check(const SummaryWriter& writer);
  void start_line();
  std::chrono::milliseconds warn_after_;
  std::ostream& out_;
  bool out_is_terminal_ = false;
  std::chrono::steady_clock::time_point next_check_{};
  bool warned_ = false;  // in the current run of failures
};

struct StandardPlugins {
  std::vector<std::string> class_names;  ///< empty: "0", "1", ...
  std::int64_t log_every = 50;           ///< TrainingScalars
  std::int64_t summary_every = 100;      ///< ModelSummaries (0: none)
  ModelSummaryOptions summary;
  std::int64_t probe_every = 100;  ///< ActivationProbes (0: none)
  int embedding_points = 1000;     ///< Embeddings (0: none)
  int most_wrong = 16;
  HParams hparams;             ///< empty: no HParams session
  std::string split = "test";  ///< the validation set's name in tags
  /// UploadWatch's delay before it warns that s3:// uploads fail (0: no UploadWatch).
  std::chrono::milliseconds upload_warn_after = std::chrono::seconds(60);
};

/// Adds TrainingScalars, ModelSummaries, ActivationProbes, FilterGrids, ModelGraph,
/// ClassifierDiagnostics, Embeddings, HParamsSession (when hparams are given), StopOnNonFinite and
/// UploadWatch (when upload_warn_after > 0). Returns the probes to hand to the model (null when
/// probe_every is 0).
TBLOG_TORCH_API Probes* add_standard_plugins(Training& training,
                                             const StandardPlugins& options = {});

}  // namespace tblog
