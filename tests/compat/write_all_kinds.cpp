// Writes a logdir holding every summary kind tblog supports, with values the Python checks
// (expected.py) know. Two sibling runs, as a GRU-vs-LSTM comparison would have.
#include <cmath>
#include <cstdio>

#include "tblog/summary_writer.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_all_kinds LOGDIR\n");
    return 2;
  }
  const std::string logdir = argv[1];
  using tblog::HParamValue;
  {
    tblog::SummaryWriter root(logdir);
    tblog::HParamsExperiment exp;
    exp.name = "compat";
    exp.hparams = {{"cell", "", "", {std::string("lstm"), std::string("gru")}},
                   {"lr", "", "", {}, true, 1e-4, 1e-1},
                   {"hidden", "", "", {64.0, 128.0, 256.0}},
                   {"clip", "", "", {true, false}}};
    exp.metrics = {{"test/accuracy"}, {"train/loss"}};
    root.add_hparams_experiment(exp);
    tblog::Layout layout = {
        {"Compare",
         {{"accuracy", {"test/accuracy"}, {}},
          {"loss band", {}, {{"train/loss", "train/loss_low", "train/loss_high"}}}},
         false}};
    root.add_custom_scalar_layout(layout);
  }
  const char* cells[] = {"lstm", "gru"};
  for (int r = 0; r < 2; ++r) {
    tblog::SummaryWriter w(logdir + "/" + cells[r]);
    w.add_hparams_session_start(
        {{"cell", std::string(cells[r])}, {"lr", 0.01}, {"hidden", 128.0}, {"clip", true}});
    for (int i = 0; i < 5; ++i) {
      const double wall = 1700000000.0 + i + 0.25;
      w.add_scalar("test/accuracy", 0.5 - 0.1 * r + 0.1 * i, i * 10, wall);
      w.add_scalar("train/loss", 2.0 / (i + 1), i * 10, wall);
      w.add_scalar("train/loss_low", 1.5 / (i + 1), i * 10, wall);
      w.add_scalar("train/loss_high", 2.5 / (i + 1), i * 10, wall);
    }
    std::vector<float> values(1000);
    for (int i = 0; i < 1000; ++i) values[i] = i * 0.01f;
    w.add_histogram("W1/hist", values, 0, {{}, 1700000000.5});
    w.add_histogram("W1/hist", values, 10, {{}, 1700000001.5});
    tblog::Image image{6, 8, 3, std::vector<std::uint8_t>(6 * 8 * 3)};
    for (int i = 0; i < 6 * 8 * 3; ++i) image.pixels[i] = static_cast<std::uint8_t>(i * 5 % 256);
    w.add_image("filters", image, 0, 1700000000.75);
    w.add_text("config", "| key | value |\n|---|---|\n| lr | 0.01 |\n\n**bold**", 0, 1700000000.0);
    w.add_hparams_session_end(tblog::SessionStatus::kSuccess);
    w.close();
  }
  std::printf("wrote %s\n", logdir.c_str());
  return 0;
}
