// The settings table (loop/settings.hpp) is what the CLI, sweeps, checks, HParams and resume read:
// these tests hold it to being one consistent declaration.
#include "loop/settings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

// "lr, optimizer" -> {"lr", "optimizer"}.
std::vector<std::string> parse_axes_list(const std::string& list) {
  std::vector<std::string> axes;
  for (std::size_t start = 0; start < list.size();) {
    const std::size_t end = std::min(list.find(", ", start), list.size());
    axes.push_back(list.substr(start, end - start));
    start = end + 2;
  }
  return axes;
}

// The first registered model whose runs have `axis`.
std::string model_with_axis(const std::string& axis) {
  for (const auto& name : model_names()) {
    if (setting_of_axis(axis, name)) return name;
  }
  return "";
}

TEST(Settings, OptionsAndAxesAreUniqueAndDefaultsPassTheirChecks) {
  for (const auto& model : model_names()) {
    std::set<std::string> options, axes;
    for (const SettingSpec* s : settings_of_model(model)) {
      EXPECT_TRUE(options.insert(s->option).second) << model << " " << s->option;
      EXPECT_EQ(s->option.rfind("--", 0), 0u) << s->option;
      EXPECT_FALSE(s->help.empty()) << s->option;
      if (!s->axis.empty()) {
        EXPECT_TRUE(axes.insert(s->axis).second) << model << " " << s->axis;
        EXPECT_EQ(setting_of_axis(s->axis, model), s);
      }
      if (s->shown != ShownAs::kNotShown) {
        EXPECT_FALSE(s->hparam.empty()) << s->option;
      }
      EXPECT_EQ(setting_of_option(s->option, model), s);
    }
  }
  for (const char* model : {"lenet5", "recurrent"}) EXPECT_EQ(check_message(config_of(model)), "");
}

// What a model's entry declares reaches its runs: its defaults, its preset, its axes, and the
// shared settings its needs select (the conv figures' options are not the recurrent net's).
TEST(Settings, AModelsEntryDeclaresItsOwnSettingsAndWhichSharedOnesApply) {
  auto has = [](const std::string& model, const std::string& option) {
    return setting_of_option(option, model) != nullptr;
  };
  EXPECT_TRUE(has("lenet5", "--fc1") && has("lenet5", "--deconv-images") &&
              has("lenet5", "--activation-images") && has("lenet5", "--lr"));
  EXPECT_FALSE(has("lenet5", "--hidden") || has("lenet5", "--model-file"));
  EXPECT_TRUE(has("recurrent", "--cell") && has("recurrent", "--lr"));
  EXPECT_FALSE(has("recurrent", "--deconv-images") || has("recurrent", "--activation-images"));
  EXPECT_TRUE(has("scripted", "--model-file") && has("scripted", "--deconv-images"));
  EXPECT_FALSE(has("scripted", "--activation-images") || has("scripted", "--fc1"));

  TrainConfig c = config_of("recurrent");
  set_option(c, "--cell", "gru");
  set_option(c, "--hidden", "512");
  EXPECT_EQ(model_facts(c.model).label, "gru");
  EXPECT_EQ(model_facts(c.model).hidden_units, 512);
  EXPECT_THROW(set_option(c, "--fc1", "10"), UsageError);
  EXPECT_EQ(model_entry("recurrent").defaults, (std::vector<OptionText>{{"--batch-size", "128"}}));
  const auto best = model_entry("recurrent").best(c.model);
  EXPECT_NE(std::find(best.begin(), best.end(), OptionText{"--batch-size", "64"}), best.end());
  EXPECT_FALSE(model_entry("scripted").best);

  // A model's setting may not take a shared setting's option or axis.
  ModelEntry clash;
  clash.name = "clash";
  clash.settings = {model_setting(ModelOption<double>{"--lr", 1.0}, "a second --lr", above(0), "",
                                  "", ShownAs::kNotShown, OnResume::kMayChange)};
  EXPECT_THROW(register_model(clash), std::invalid_argument);
  ModelEntry taken;
  taken.name = "lenet5";
  EXPECT_THROW(register_model(taken), std::invalid_argument);
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
  for (const auto& model : model_names()) {
    for (const SettingSpec* s : settings_of_model(model)) {
      if (s->axis.empty()) continue;
      const std::string key = hparam_name_of_axis(s->axis);
      EXPECT_TRUE(expected.count(key)) << s->axis << " -> " << key;
    }
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
    const std::string model = model_with_axis(axis);
    const SettingSpec* spec = setting_of_axis(axis, model);
    ASSERT_NE(spec, nullptr) << axis;
    covered.insert(axis);
    const TrainConfig before = config_of(model);
    const TrainConfig after = apply_setting(before, {{axis, value}});
    EXPECT_NE(setting_text(*spec, before), setting_text(*spec, after)) << axis;
    EXPECT_EQ(check_message(after), "") << axis;
    EXPECT_NE(hparams_of(before).at(hparam_name_of_axis(axis)),
              hparams_of(after).at(hparam_name_of_axis(axis)))
        << axis;
  }
  for (const auto& axis : parse_axes_list(sweep_axes_list()))
    EXPECT_TRUE(covered.count(axis)) << "axis not exercised: " << axis;
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
  TrainConfig recurrent = config_of("recurrent");
  set_option(recurrent, "--layers", "17");
  EXPECT_EQ(check_message(recurrent), "--layers must be in 1..16 (got 17)");
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
  set_option(scripted, "--model-file", "net.pt");
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
