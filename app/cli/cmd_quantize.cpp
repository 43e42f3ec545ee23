// qidlab-cli quantize: one measurement. Quantize a checkpoint layer by layer
// and evaluate it and its 16-bit self on identical windows: loss16, lossq,
// ΔqLoss with the standard error of the per-window difference, and what each
// Linear's quantization cost.
#include <CLI/CLI.hpp>

#include <ATen/Parallel.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "eval/text_source.h"
#include "eval_args.h"
#include "model/causal_lm.h"
#include "model/dtype.h"
#include "progress_bar.h"
#include "quant/quant_eval.h"
#include "quant/quant_preset.h"
#include "quant/fake_quant_export.h"

namespace {

namespace fs = std::filesystem;

struct Options {
  std::string model, method, preset, calib, save;
  int bits = 4, group = 128;
  double damp = 0.01;
  bool sym = false, asym = false, actOrder = false, staticGroups = false, calibOnCpu = false;
  std::int64_t calibSamples = 128, calibSeqlen = 0;
  std::uint64_t calibSeed = 0;
  qid::cli::EvalArgs eval;
  int threads = 0;
  bool json = false;
  bool kl = false;
  // Which options the user gave (they override the preset).
  const CLI::Option *methodOpt = nullptr, *bitsOpt = nullptr, *groupOpt = nullptr,
                    *dampOpt = nullptr, *samplesOpt = nullptr, *seqlenOpt = nullptr,
                    *seedOpt = nullptr;
};

bool given(const CLI::Option* opt) { return opt && opt->count() > 0; }

qid::quant::PipelineOptions pipelineOptions(const Options& o) {
  using namespace qid;
  quant::PipelineOptions p;
  p.method.groupSize = 128;
  p.calibration.seqlen = 0;  // 0: the eval seqlen unless the preset says otherwise
  if (!o.preset.empty()) quant::applyQuantPreset(quant::loadQuantPreset(o.preset), p);
  else if (!given(o.methodOpt)) throw Error("give --method (rtn, gptq, awq, nf4, fp4, int8) or --preset");
  if (given(o.methodOpt)) p.method.method = quant::parseMethod(o.method);
  if (given(o.bitsOpt)) p.method.bits = o.bits;
  else if (p.method.method == quant::Method::INT8) p.method.bits = 8;
  else if (p.method.method == quant::Method::NF4 || p.method.method == quant::Method::FP4) p.method.bits = 4;
  else if (o.preset.empty() || !quant::loadQuantPreset(o.preset).settings.contains("bits"))
    throw Error("give --bits (1-8; nf4/fp4 need 4, int8 8)");
  if (given(o.groupOpt)) p.method.groupSize = o.group;
  if (given(o.dampOpt)) p.method.percdamp = o.damp;
  if (o.sym && o.asym) throw Error("give --sym or --asym, not both");
  if (o.sym) p.method.symmetric = true;
  if (o.asym) p.method.symmetric = false;
  if (o.actOrder) p.method.actOrder = true;
  if (o.staticGroups) p.method.staticGroups = true;
  if (given(o.samplesOpt)) p.calibration.samples = o.calibSamples;
  if (given(o.seqlenOpt)) p.calibration.seqlen = o.calibSeqlen;
  if (p.calibration.seqlen <= 0) p.calibration.seqlen = o.eval.seqlen;
  if (given(o.seedOpt)) p.calibration.seed = o.calibSeed;
  else if (given(o.eval.seedOpt)) p.calibration.seed = o.eval.seed;
  p.calibOnCpu = o.calibOnCpu;
  quant::validate(p.method);
  return p;
}

nlohmann::json methodJson(const qid::quant::PipelineOptions& p, const std::string& preset) {
  const auto& m = p.method;
  return {{"method", qid::quant::methodName(m.method)},
          {"bits", m.bits},
          {"group", m.groupSize},
          {"sym", m.symmetric},
          {"damp", m.percdamp},
          {"act_order", m.actOrder},
          {"static_groups", m.staticGroups},
          {"preset", preset.empty() ? nlohmann::json() : nlohmann::json(preset)}};
}

nlohmann::json layersJson(const std::vector<qid::quant::LayerRecord>& layers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : layers)
    out.push_back({{"layer", l.layer},
                   {"linear", l.linear},
                   {"rows", l.rows},
                   {"cols", l.cols},
                   {"seconds", l.seconds},
                   {"relative_error", std::isfinite(l.relativeError) ? nlohmann::json(l.relativeError)
                                                                    : nlohmann::json()},
                   {"damp", l.damp},
                   {"damp_increases", l.dampIncreases}});
  return out;
}

void run(const Options& o) {
  using namespace qid;
  if (o.threads > 0) at::set_num_threads(o.threads);
  const fs::path dir(o.model);
  const model::ModelConfig config = model::loadModelConfig(dir);
  model::architectureOf(config, (dir / "config.json").string());
  quant::PipelineOptions p = pipelineOptions(o);
  const eval::Recipe recipe = cli::resolveRecipe(o.eval);
  model::LoadOptions load;
  load.dtype = model::parseComputeDType(o.eval.dtype);
  load.device = model::parseDevice(o.eval.device);
  if (!o.save.empty() && fs::exists(o.save) && !fs::is_empty(o.save))
    throw Error(o.save + ": the --save folder exists and is not empty");
  const model::Tokenizer tok = cli::loadTokenizer(o.eval, dir);

  const ProgressFn progress = cli::progressBar(o.json);
  std::vector<std::uint32_t> calibTokens;
  if (!o.calib.empty()) {
    calibTokens = eval::tokenizeFile(tok, o.calib, progress);
    if (static_cast<std::int64_t>(calibTokens.size()) <= p.calibration.seqlen)
      throw Error(o.calib + ": the calibration text has " + std::to_string(calibTokens.size()) +
                  " tokens, not more than one calibration window of " +
                  std::to_string(p.calibration.seqlen));
  } else if (quant::needsCalibration(p.method.method)) {
    throw Error(quant::methodName(p.method.method) + " needs calibration text: give --calib FILE");
  }
  const eval::EvalData data = cli::loadEvalText(o.eval, recipe, tok, config.bosTokenId, progress);

  auto m = model::loadCausalLM(dir, load);
  // A group that does not divide a Linear's columns leaves a partial last group.
  nlohmann::json partial = nlohmann::json::array();
  if (p.method.groupSize > 0 && (p.method.method == quant::Method::RTN ||
                                 p.method.method == quant::Method::GPTQ ||
                                 p.method.method == quant::Method::AWQ))
    for (const auto& name : m->linearNames()) {
      const std::int64_t cols = m->linearWeight(0, name).size(1);
      if (cols % p.method.groupSize != 0) {
        partial.push_back({{"linear", name}, {"cols", cols}});
        std::fprintf(stderr,
                     "qidlab-cli: note: group %d does not divide the %lld columns of %s: the last "
                     "group of each row holds %lld columns\n",
                     p.method.groupSize, (long long)cols, name.c_str(),
                     (long long)(cols % p.method.groupSize));
      }
    }

  quant::QuantEvalOptions qo;
  qo.pipeline = p;
  qo.pipeline.progress = progress;
  qo.eval.batch = o.eval.batch;
  qo.eval.progress = progress;
  qo.klDivergence = o.kl;
  const quant::QuantEvalResult r =
      quant::quantizeAndEvaluate(*m, calibTokens, data.tokens, data.windows, qo);

  nlohmann::json saved;
  if (!o.save.empty()) {
    quant::FakeQuantExport info;
    info.sourceModel = o.model;
    info.tokenizerJson = o.eval.tokenizer.empty() ? dir / "tokenizer.json" : fs::path(o.eval.tokenizer);
    info.quantization = methodJson(p, o.preset);
    info.quantization["calibration"] = calibTokens.empty() ? nlohmann::json() : nlohmann::json(o.calib);
    info.measurement = {{"recipe", recipe.id()}, {"eval", o.eval.data}, {"seqlen", data.seqlen},
                        {"windows", r.windowCount}, {"loss16", r.loss16}, {"lossq", r.lossq},
                        {"delta_q_loss", r.deltaQLoss}};
    saved = quant::saveFakeQuantModel(*m, o.save, info);
  }

  const model::ParameterCount count = model::countParameters(config);
  if (o.json) {
    nlohmann::json j;
    j["model"] = o.model;
    j["N"] = count.nonEmbedding;
    j["N_total"] = count.total;
    j["quantization"] = methodJson(p, o.preset);
    j["calibration"] =
        calibTokens.empty()
            ? nlohmann::json()
            : nlohmann::json{{"path", o.calib},
                             {"tokens", calibTokens.size()},
                             {"samples", p.calibration.samples},
                             {"seqlen", p.calibration.seqlen},
                             {"seed", p.calibration.seed},
                             {"on_cpu", p.calibOnCpu}};
    j["eval"] = {{"path", o.eval.data},
                 {"recipe", eval::toJson(recipe)},
                 {"seqlen", data.seqlen},
                 {"windows", r.windowCount},
                 {"windows_total", data.windowsBeforeSelection},
                 {"tokens", r.tokenCount}};
    j["loss16"] = r.loss16;
    j["lossq"] = r.lossq;
    j["delta_q_loss"] = r.deltaQLoss;
    j["delta_stderr"] = r.deltaStderr;
    if (r.klDivergence) {
      j["kl_divergence"] = *r.klDivergence;
      j["kl_unit"] = "nats/token";
      j["kl_stderr"] = r.klStderr;
      j["top_token_agreement"] = r.topTokenAgreement.value_or(0.0);
    }
    j["baseline"] = cli::evalJson(data, r.baseline);
    j["quantized"] = cli::evalJson(data, r.quantized);
    j["layers"] = layersJson(r.layers);
    j["partial_groups"] = partial;
    j["quantize_s"] = r.quantizeSeconds;
    j["eval_s"] = r.evalSeconds;
    j["wall_s"] = r.wallSeconds;
    j["dtype"] = r.quantized.dtype;
    j["device"] = r.quantized.device;
    j["saved"] = saved;
    std::cout << j.dump(2) << "\n";
    return;
  }
  const auto& mo = p.method;
  std::printf("model       %s (N = %lld non-embedding)\n", o.model.c_str(), (long long)count.nonEmbedding);
  std::printf("method      %s %d-bit, group %d, %s, damp %g%s%s%s\n",
              quant::methodName(mo.method).c_str(), mo.bits, mo.groupSize,
              mo.symmetric ? "symmetric" : "asymmetric", mo.percdamp, mo.actOrder ? ", act-order" : "",
              mo.staticGroups ? ", static groups" : "",
              o.preset.empty() ? "" : (" (preset " + o.preset + ")").c_str());
  if (!calibTokens.empty())
    std::printf("calib       %s: %lld windows of %lld tokens, seed %llu\n", o.calib.c_str(),
                (long long)p.calibration.samples, (long long)p.calibration.seqlen,
                (unsigned long long)p.calibration.seed);
  std::printf("eval        %s: %s, seqlen %lld, %lld windows, %lld scored tokens\n",
              o.eval.data.c_str(), recipe.id().c_str(), (long long)data.seqlen,
              (long long)r.windowCount, (long long)r.tokenCount);
  std::printf("loss16      %.6f nats/token\n", r.loss16);
  std::printf("lossq       %.6f nats/token\n", r.lossq);
  std::printf("dqLoss      %+.6f  (stderr %.6f of the per-window difference)\n", r.deltaQLoss,
              r.deltaStderr);
  if (r.klDivergence)
    std::printf("KL(16||q)   %.6f nats/token  (stderr %.6f over windows), top-1 agreement %.4f\n",
                *r.klDivergence, r.klStderr, r.topTokenAgreement.value_or(0.0));
  std::printf("time        %.2f s (quantize %.2f s, eval %.2f s), %s on %s\n", r.wallSeconds,
              r.quantizeSeconds, r.evalSeconds, r.quantized.dtype.c_str(), r.quantized.device.c_str());
  std::printf("layers      block linear            shape         time s   rel. error   damp  raises\n");
  for (const auto& l : r.layers)
    std::printf("            %5d %-17s %5lldx%-7lld %7.3f  %11.4e  %5g  %d\n", l.layer,
                l.linear.c_str(), (long long)l.rows, (long long)l.cols, l.seconds, l.relativeError,
                l.damp, l.dampIncreases);
  if (!saved.is_null()) std::printf("saved       %s (fake-quant HF checkpoint)\n", o.save.c_str());
}

const bool registered = qid::cli::registerCommand(
    {"quantize", 55, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "quantize",
           "Quantize a checkpoint layer by layer (RTN, GPTQ, AWQ, NF4/FP4, LLM.int8) and evaluate "
           "it and the unquantized model on identical windows: loss16, lossq and "
           "dqLoss = lossq - loss16 with the standard error of the per-window difference, plus "
           "each Linear's time, relative output error ||WX-QX||^2/||WX||^2 and damp increases. "
           "A --preset sets defaults that every explicit option overrides. Ctrl-C cancels");
       sub->add_option("--model", o->model, "Checkpoint folder (config.json + safetensors)")->required();
       o->methodOpt = sub->add_option("--method", o->method, "rtn | gptq | awq | nf4 | fp4 | int8");
       o->bitsOpt = sub->add_option("--bits", o->bits, "Bit width 1-8 (nf4/fp4: 4, int8: 8)");
       o->groupOpt = sub->add_option("--group", o->group,
                                     "Columns per scale group (default 128); -1 is one scale per "
                                     "output row; a group that does not divide the columns leaves "
                                     "a partial last group (a note says where)");
       sub->add_option("--preset", o->preset,
                       "Named settings from resources/quant: paper (GPTQ, group 128, damp 0.1, "
                       "symmetric, no act-order), gptq-default (damp 0.01, asymmetric, per row), "
                       "awq, nf4");
       o->dampOpt = sub->add_option("--damp", o->damp, "GPTQ relative damping (fraction of mean diag H; default 0.01)");
       sub->add_flag("--sym", o->sym, "Symmetric grid");
       sub->add_flag("--asym", o->asym, "Asymmetric grid (the default without a preset)");
       sub->add_flag("--act-order", o->actOrder, "GPTQ: columns by descending diag(H)");
       sub->add_flag("--static-groups", o->staticGroups, "GPTQ: group grids fitted before any update");
       sub->add_option("--calib", o->calib,
                       "Calibration text (gptq, awq; optional for int8); windows are drawn at "
                       "random as the GPTQ reference does");
       o->samplesOpt = sub->add_option("--calib-samples", o->calibSamples, "Calibration windows (default 128)");
       o->seqlenOpt = sub->add_option("--calib-seqlen", o->calibSeqlen,
                                      "Tokens per calibration window (default: --seqlen; the awq preset: 512)");
       o->seedOpt = sub->add_option("--calib-seed", o->calibSeed,
                                    "Seed of the calibration draw (default: --seed, else 0)");
       sub->add_flag("--calib-on-cpu", o->calibOnCpu, "Keep captured activations in host memory");
       qid::cli::addEvalOptions(sub, o->eval, "--eval");
       sub->add_option("--save", o->save,
                       "Write the fake-quant model here as a normal HF folder (config.json, "
                       "model.safetensors, tokenizer.json, qidlab_quant.json) that eval reads");
       sub->add_option("--threads", o->threads, "CPU threads (default: libtorch's choice)");
       sub->add_flag("--kl", o->kl,
                     "Also measure KL(P16 || Pq) in nats per scored token, in the same pass as the "
                     "quantized loss (keeps a 16-bit copy of the weights; logits are never stored)");
       sub->add_flag("--json", o->json, "Machine-readable output (per-window NLLs included)");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
