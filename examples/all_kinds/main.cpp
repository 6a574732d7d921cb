// Writes one of every summary kind tblog supports into LOGDIR/demo, and two runs compared in
// HParams (LOGDIR/lstm, LOGDIR/gru: scalars, histograms, an image, text, hparams sessions; the
// experiment and a custom-scalar layout in LOGDIR itself), then prints how to look. The values
// follow simple formulas so that the checks against stock TensorBoard (tests/compat/
// all_kinds_expected.py) can recompute them.
//
//   all_kinds runs-demo && tensorboard --logdir runs-demo
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "tblog/summary_writer.hpp"

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kWallTime = 1700000000.0;

void write_scalars_and_curves(tblog::SummaryWriter& w) {
  for (int step = 0; step < 10; ++step) {  // two lines on one chart, no extra runs
    w.add_scalars("loss", {{"train", 1.0 / (step + 1)}, {"test", 1.2 / (step + 1)}}, step,
                  kWallTime + step);
  }
  std::vector<float> predictions(200);
  std::vector<bool> labels(200);
  for (int i = 0; i < 200; ++i) {
    const int k = i * 37 % 200;
    predictions[i] = static_cast<float>(k / 199.0);
    labels[i] = k >= 80 ? i % 7 != 0 : i % 5 == 0;
  }
  w.add_pr_curve("pr/binary", predictions, labels, 0);
  tblog::PrCurveOptions weighted;
  weighted.num_thresholds = 11;
  for (int i = 0; i < 200; ++i) weighted.weights.push_back(static_cast<float>(1 + i % 3));
  w.add_pr_curve("pr/weighted", predictions, labels, 0, weighted);

  const std::vector<std::string> classes = {"cat", "dog", "bird"};
  std::vector<float> scores;
  std::vector<int> truth;
  for (int i = 0; i < 60; ++i) {
    truth.push_back(i % 3);
    for (int c = 0; c < 3; ++c) {
      scores.push_back(c == i % 3 ? 0.5f + 0.4f * static_cast<float>(i % 5) / 4.f
                                  : 0.5f * static_cast<float>((i + c) % 4) / 3.f);
    }
  }
  w.add_pr_curves("pr/class", scores, truth, classes, 0);
}

void write_media(tblog::SummaryWriter& w) {
  tblog::Audio tone{{}, 1, 8000};
  for (int i = 0; i < 4000; ++i)
    tone.samples.push_back(static_cast<float>(0.5 * std::sin(2 * kPi * 440 * i / 8000.0)));
  w.add_audio("audio/tone", tone, 0, "**440 Hz** sine, 0.5 s");
  tblog::Audio stereo{{}, 2, 8000};
  for (int i = 0; i < 2000; ++i) {
    const auto left = static_cast<float>(0.25 * std::sin(2 * kPi * 220 * i / 8000.0));
    stereo.samples.push_back(left);
    stereo.samples.push_back(-left);
  }
  w.add_audio("audio/stereo", stereo, 0);

  std::vector<tblog::Image> samples;
  for (int k = 0; k < 3; ++k) {
    tblog::Image image{16, 16, 3, std::vector<std::uint8_t>(16 * 16 * 3)};
    for (int y = 0; y < 16; ++y)
      for (int x = 0; x < 16; ++x)
        for (int c = 0; c < 3; ++c)
          image.pixels[(y * 16 + x) * 3 + c] =
              static_cast<std::uint8_t>((x * 16 + k * 60 + c * 20 + y) % 256);
    samples.push_back(image);
  }
  w.add_images("samples", samples, 0);

  std::vector<tblog::Image> frames;  // an orange square moving right
  for (int f = 0; f < 8; ++f) {
    tblog::Image frame{32, 32, 3, std::vector<std::uint8_t>(32 * 32 * 3, 0)};
    for (int y = 12; y < 20; ++y) {
      for (int x = 3 * f; x < 3 * f + 8; ++x) {
        frame.pixels[(y * 32 + x) * 3 + 0] = 255;
        frame.pixels[(y * 32 + x) * 3 + 1] = 128;
      }
    }
    frames.push_back(frame);
  }
  w.add_video("video/moving_square", frames, 0);
}

void write_mesh_and_graph(tblog::SummaryWriter& w) {
  for (int step = 0; step < 2; ++step) {
    const auto s = static_cast<float>(step + 1);
    tblog::Mesh tetrahedron;
    tetrahedron.vertices = {0, 0, 0, s, 0, 0, 0, s, 0, 0, 0, s};
    tetrahedron.faces = {0, 1, 2, 0, 1, 3, 0, 2, 3, 1, 2, 3};
    tetrahedron.colors = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0};
    w.add_mesh("mesh/tetrahedron", tetrahedron, step);
  }

  tblog::GraphBuilder g;
  g.add("input", "Input").output_shapes = {{-1, 1, 28, 28}};
  {
    auto conv1 = g.scope("conv1");
    auto& weight = g.add("weight", "Parameter");
    weight.output_shapes = {{6, 1, 5, 5}};
    weight.attributes["parameters"] = std::int64_t{150};
    g.add("conv", "Conv2d", {"input", "conv1/weight"}).output_shapes = {{-1, 6, 24, 24}};
  }
  g.add("relu", "ReLU", {"conv1/conv"}).output_shapes = {{-1, 6, 24, 24}};
  {
    auto fc = g.scope("fc");
    g.add("weight", "Parameter").output_shapes = {{10, 3456}};
    auto& matmul = g.add("matmul", "Linear", {"relu", "fc/weight"});
    matmul.output_shapes = {{-1, 10}};
    matmul.attributes["in_features"] = std::int64_t{3456};
  }
  w.add_graph(g.graph());
  w.add_run_metadata("step_1",
                     {{"conv1/conv", 1700000000000000, 420, 13824},
                      {"relu", 1700000000000420, 35, 13824},
                      {"fc/matmul", 1700000000000455, 120, 40}},
                     1);
}

tblog::Embedding features(int rows, float phase) {
  tblog::Embedding e;
  e.rows = rows;
  e.dims = 3;
  tblog::EmbeddingColumn label{"class", {}}, index{"index", {}};
  for (int i = 0; i < rows; ++i) {
    const double angle = i + static_cast<double>(phase);
    e.values.push_back(static_cast<float>(std::cos(angle)));
    e.values.push_back(static_cast<float>(std::sin(angle)));
    e.values.push_back(static_cast<float>(i) / static_cast<float>(rows));
    label.values.push_back("c" + std::to_string(i % 4));
    index.values.push_back(std::to_string(i));
    e.thumbnails.push_back(
        {8, 8, 1, std::vector<std::uint8_t>(64, static_cast<std::uint8_t>(i * 6))});
  }
  e.metadata = {label, index};
  return e;
}

// The compared model as GRAPHS' conceptual graph: the cell reads the rows, a head (a model of its
// own) reads the cell, and the softmax names the head as its input.
tblog::ModelLayer classifier(const std::string& cell) {
  tblog::ModelLayer head{"head", "Sequential"};
  head.layers = {{"dropout", "Dropout"}, {"fc", "Linear"}};
  tblog::ModelLayer model{"classifier", "Sequential"};
  model.layers = {{"rows", "InputLayer", {}, {}, "float32"},
                  {cell, cell == "lstm" ? "LSTM" : "GRU", {}, {}, "float32"},
                  head,
                  {"softmax", "Softmax", {}, {"head"}}};
  return model;
}

// A GRU-vs-LSTM comparison as a study would log it: the HParams experiment and a layout in the
// logdir itself, then one run per cell with its hyperparameters, curves, weights and notes.
void write_compared_runs(const std::string& logdir) {
  {
    tblog::SummaryWriter root(logdir);
    tblog::HParamsExperiment experiment;
    experiment.name = "compare";
    experiment.hparams = {{"cell", "", "", {std::string("lstm"), std::string("gru")}},
                          {"lr", "", "", {}, true, 1e-4, 1e-1},
                          {"hidden", "", "", {64.0, 128.0, 256.0}},
                          {"clip", "", "", {true, false}}};
    experiment.metrics = {{"test/accuracy"}, {"train/loss"}};
    root.add_hparams_experiment(experiment);
    root.add_custom_scalar_layout(
        {{"Compare",
          {{"accuracy", {"test/accuracy"}, {}},
           {"loss band", {}, {{"train/loss", "train/loss_low", "train/loss_high"}}}},
          /*closed=*/true}});
  }
  const char* cells[] = {"lstm", "gru"};
  for (int r = 0; r < 2; ++r) {
    tblog::SummaryWriter w(logdir + "/" + cells[r]);
    w.add_hparams_session_start(
        {{"cell", std::string(cells[r])}, {"lr", 0.01}, {"hidden", 128.0}, {"clip", true}});
    for (int i = 0; i < 5; ++i) {
      const double wall = kWallTime + i + 0.25;
      w.add_scalar("test/accuracy", 0.5 - 0.1 * r + 0.1 * i, i * 10, wall);
      w.add_scalar("train/loss", 2.0 / (i + 1), i * 10, wall);
      w.add_scalar("train/loss_low", 1.5 / (i + 1), i * 10, wall);
      w.add_scalar("train/loss_high", 2.5 / (i + 1), i * 10, wall);
    }
    std::vector<float> values(1000);
    for (int i = 0; i < 1000; ++i) values[i] = i * 0.01f;
    w.add_histogram("W1/hist", values, 0, {{}, kWallTime + 0.5});
    w.add_histogram("W1/hist", values, 10, {{}, kWallTime + 1.5});
    tblog::Image filters{6, 8, 3, std::vector<std::uint8_t>(6 * 8 * 3)};
    for (int i = 0; i < 6 * 8 * 3; ++i) filters.pixels[i] = static_cast<std::uint8_t>(i * 5 % 256);
    w.add_image("weights/filters", filters, 0, kWallTime + 0.75);
    w.add_text("config", "| key | value |\n|---|---|\n| lr | 0.01 |\n\n**bold**", 0, kWallTime);
    w.add_conceptual_graph("keras", classifier(cells[r]), 0, kWallTime);
    w.add_hparams_session_end(tblog::SessionStatus::kSuccess);
    w.close();
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: all_kinds LOGDIR\n");
    return 2;
  }
  const std::string run = std::string(argv[1]) + "/demo";
  {
    tblog::SummaryWriter w(run);
    write_scalars_and_curves(w);
    write_media(w);
    write_mesh_and_graph(w);
    w.add_embedding("features", features(40, 0.f), 0);
    w.close();
  }
  {
    // A second writer of the same run: the projector config keeps both writers' embeddings.
    tblog::WriterOptions options;
    options.filename_suffix = ".second";
    tblog::SummaryWriter w(run, options);
    w.add_embedding("features", features(40, 0.5f), 5);
    tblog::Embedding words;
    words.rows = 5;
    words.dims = 2;
    words.values = {0, 0, 1, 0, 0, 1, 1, 1, 0.5f, 0.5f};
    words.metadata = {{"", {"zero", "east", "north", "north-east", "middle"}}};
    w.add_embedding("words", words, 0);
    w.close();
  }
  write_compared_runs(argv[1]);
  std::printf("wrote %s; look with: tensorboard --logdir %s\n", run.c_str(), argv[1]);
  return 0;
}
