// The settings table (loop/settings.hpp) is what the CLI, sweeps, checks, HParams and resume read:
// these tests hold it to being one consistent declaration.
#include "loop/settings.hpp"

#include <gtest/gtest.h>

#include <set>

#include "experiments/sweep.hpp"
#include "loop/config_check.hpp"
#include "loop/trainer.hpp"

namespace trainers {
namespace {

TrainConfig config_of(const std::string& model) {
  TrainConfig c;
  c.model.name = model;
  return c;
}

std::string check_message(const TrainConfig& c) {
  try {
    check_config(c);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(Settings, OptionsAndAxesAreUniqueAndDefaultsPassTheirChecks) {
  std::set<std::string> options, axes;
  for (const auto& s : settings_table()) {
    EXPECT_TRUE(options.insert(s.option).second) << s.option;
    EXPECT_EQ(s.option.rfind("--", 0), 0u) << s.option;
    EXPECT_FALSE(s.help.empty()) << s.option;
    if (!s.axis.empty()) {
      EXPECT_TRUE(axes.insert(s.axis).second) << s.axis;
    }
    if (s.shown != ShownAs::kNotShown) {
      EXPECT_FALSE(s.hparam.empty()) << s.option;
    }
    EXPECT_EQ(setting_of_option(s.option), &s);
  }
  for (const char* model : {"lenet5", "recurrent"}) EXPECT_EQ(check_message(config_of(model)), "");
}

TEST(Settings, EveryModelHasTheSameHParamsKeysAndEveryShownAxisIsOne) {
  const std::set<std::string> expected = {
      "model",          "optimizer",       "lr",           "momentum", "schedule",   "weight_decay",
      "batch_size",     "epochs",          "hidden_units", "layers",   "activation", "augment",
      "clip_grad_norm", "label_smoothing", "seed"};
  for (const char* model : {"lenet5", "recurrent"}) {
    std::set<std::string> keys;
    for (const auto& [key, value] : hparams_of(config_of(model))) keys.insert(key);
    EXPECT_EQ(keys, expected) << model;
  }
  for (const auto& s : settings_table()) {
    if (s.axis.empty()) continue;
    const std::string key = hparam_name_of_axis(s.axis);
    EXPECT_TRUE(expected.count(key)) << s.axis << " -> " << key;
  }
}

TEST(Settings, EveryAxisSetsItsFieldAndShowsInHParams) {
  // A value other than the default for each axis, as a grid would give it.
  const std::vector<std::pair<std::string, std::string>> changes = {{"optimizer", "sgd"},
                                                                    {"lr", "0.25"},
                                                                    {"schedule", "cosine"},
                                                                    {"momentum", "0.5"},
                                                                    {"weight_decay", "0.01"},
                                                                    {"label_smoothing", "0.1"},
                                                                    {"clip", "2"},
                                                                    {"batch_size", "32"},
                                                                    {"epochs", "7"},
                                                                    {"augment", "true"},
                                                                    {"seed", "9"},
                                                                    {"activation", "relu"},
                                                                    {"fc1", "77"},
                                                                    {"cell", "gru"},
                                                                    {"hidden", "33"},
                                                                    {"layers", "2"}};
  std::set<std::string> covered;
  for (const auto& [axis, value] : changes) {
    const SettingSpec* spec = setting_of_axis(axis);
    ASSERT_NE(spec, nullptr) << axis;
    covered.insert(axis);
    const std::string model = (spec->models & kLeNet5) ? "lenet5" : "recurrent";
    const TrainConfig before = config_of(model);
    const TrainConfig after = apply_setting(before, {{axis, value}});
    EXPECT_NE(setting_text(*spec, before), setting_text(*spec, after)) << axis;
    EXPECT_EQ(check_message(after), "") << axis;
    EXPECT_NE(hparams_of(before).at(hparam_name_of_axis(axis)),
              hparams_of(after).at(hparam_name_of_axis(axis)))
        << axis;
  }
  for (const auto& s : settings_table()) {
    if (!s.axis.empty()) {
      EXPECT_TRUE(covered.count(s.axis)) << "axis not exercised: " << s.axis;
    }
  }
}

TEST(Settings, GridValuesOfTheWrongTypeOrModelAreRefusedNamingTheAxis) {
  auto message = [](const TrainConfig& c, const std::string& axis, const std::string& value) {
    try {
      apply_setting(c, {{axis, value}});
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const TrainConfig lenet5 = config_of("lenet5");
  EXPECT_EQ(message(lenet5, "batch_size", "1.5"),
            "grid value '1.5' of 'batch_size' is not a whole number in range");
  EXPECT_EQ(message(lenet5, "lr", "fast"), "grid value 'fast' of 'lr' is not a number");
  EXPECT_EQ(message(lenet5, "augment", "maybe"),
            "grid value 'maybe' of 'augment' is not true/false");
  EXPECT_EQ(message(lenet5, "seed", "-1"),
            "grid value '-1' of 'seed' is not a whole number in range");
  EXPECT_EQ(message(lenet5, "hidden", "64"),
            "grid axis 'hidden' applies to recurrent models only, not to lenet5");
  EXPECT_NE(
      message(lenet5, "colour", "red").find("unknown grid axis 'colour' (axes: optimizer, lr"),
      std::string::npos);
}

TEST(Settings, ChecksNameTheOptionAndWhatItTakes) {
  auto with = [](auto change) {
    TrainConfig c = config_of("lenet5");
    change(c);
    return check_message(c);
  };
  EXPECT_EQ(with([](TrainConfig& c) { c.lr = 0; }), "--lr must be a finite number > 0 (got 0)");
  EXPECT_EQ(with([](TrainConfig& c) { c.lr = std::nan(""); }),
            "--lr must be a finite number > 0 (got nan)");
  EXPECT_EQ(with([](TrainConfig& c) { c.momentum = 1; }), "--momentum must be in [0, 1) (got 1)");
  EXPECT_EQ(with([](TrainConfig& c) { c.weight_decay = -1; }),
            "--weight-decay must be a finite number >= 0 (got -1)");
  EXPECT_EQ(with([](TrainConfig& c) { c.batch_size = 0; }),
            "--batch-size must be in 1..1048576 (got 0)");
  EXPECT_EQ(with([](TrainConfig& c) { c.max_steps = -3; }), "--max-steps must be >= 0 (got -3)");
  EXPECT_EQ(with([](TrainConfig& c) { c.optimizer = "lbfgs"; }),
            "--optimizer must be one of sgd | momentum | adam | adagrad | rmsprop (got 'lbfgs')");
  EXPECT_EQ(with([](TrainConfig& c) { c.model.layers = 17; }),
            "--layers must be in 1..16 (got 17)");
  EXPECT_EQ(with([](TrainConfig& c) { c.occlusion_gray = 256; }),
            "--occlusion-gray must be in -1..255 (got 256)");
}

TEST(Settings, AResumedRunKeepsItsModelsShapeAndEpochsOnlyUnderCosine) {
  auto options_of = [](const TrainConfig& c) {
    std::set<std::string> options;
    for (const auto& [option, text] : kept_on_resume(c)) options.insert(option);
    return options;
  };
  TrainConfig lenet5 = config_of("lenet5");
  auto kept = options_of(lenet5);
  EXPECT_TRUE(kept.count("--fc1") && kept.count("--activation") && kept.count("--lr"));
  EXPECT_FALSE(kept.count("--hidden") || kept.count("--epochs") || kept.count("--log-every"));
  lenet5.schedule = "cosine";
  EXPECT_TRUE(options_of(lenet5).count("--epochs"));
  kept = options_of(config_of("recurrent"));
  EXPECT_TRUE(kept.count("--cell") && kept.count("--hidden") && kept.count("--layers"));
  EXPECT_FALSE(kept.count("--fc1"));
  TrainConfig scripted = config_of("scripted");
  scripted.model.file = "net.pt";
  const auto texts = kept_on_resume(scripted);
  EXPECT_NE(std::find(texts.begin(), texts.end(),
                      std::pair<std::string, std::string>{"--model-file", "net.pt"}),
            texts.end());
  EXPECT_NE(std::find(texts.begin(), texts.end(),
                      std::pair<std::string, std::string>{"--augment", "off"}),
            texts.end());
}

}  // namespace
}  // namespace trainers
