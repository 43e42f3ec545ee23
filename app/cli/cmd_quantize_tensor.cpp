// qidlab-cli quantize-tensor: quantizes one weight matrix with given
// calibration inputs and reports the relative output error. This is how GPTQ
// is checked against the reference implementation, so the option names are
// fixed by the issue.
#include <CLI/CLI.hpp>

#include <ATen/ATen.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "model/safetensors.h"
#include "quant/quant_method.h"

namespace {

struct Options {
  std::string weight, inputs, method = "gptq", out;
  int bits = 4, group = -1;
  double damp = 0.01;
  bool sym = false, actOrder = false, staticGroups = false, json = false;
};

// The tensor named `preferred`, or the file's only tensor.
at::Tensor loadMatrix(const std::string& path, const std::string& preferred) {
  qid::model::SafetensorsFile file(path);
  auto names = file.names();
  if (file.contains(preferred)) return file.load(preferred).to(at::kFloat);
  if (names.size() == 1) return file.load(names.front()).to(at::kFloat);
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw qid::Error(path + ": no tensor named '" + preferred + "' (it holds " +
                   (list.empty() ? std::string("no tensors") : list) + ")");
}

void run(const Options& o) {
  using namespace qid;
  quant::MethodOptions mo;
  mo.method = quant::parseMethod(o.method);
  mo.bits = o.bits;
  mo.groupSize = o.group;
  mo.symmetric = o.sym;
  mo.percdamp = o.damp;
  mo.actOrder = o.actOrder;
  mo.staticGroups = o.staticGroups;
  quant::validate(mo);

  at::Tensor w = loadMatrix(o.weight, "weight");
  if (w.dim() != 2)
    throw Error(o.weight + ": the weight must be 2-D [out, in], got " + std::to_string(w.dim()) +
                " dimensions");
  at::Tensor x = loadMatrix(o.inputs, "inputs");
  if (x.dim() < 2)
    throw Error(o.inputs + ": the inputs must be [tokens, in], got " + std::to_string(x.dim()) +
                " dimension(s)");
  if (x.size(-1) != w.size(1))
    throw Error(o.inputs + ": the inputs have " + std::to_string(x.size(-1)) +
                " features but the weight " + o.weight + " has " + std::to_string(w.size(1)) +
                " input columns (inputs are [tokens, in], the weight [out, in])");
  x = x.reshape({-1, x.size(-1)});

  const auto t0 = std::chrono::steady_clock::now();
  quant::QuantizedWeight q = quant::quantizeMatrix(w, x, mo);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double err = quant::relativeOutputError(w, q.dequantized, x);

  std::map<std::string, std::string> meta = {
      {"method", quant::methodName(mo.method)}, {"bits", std::to_string(q.bits)},
      {"group", std::to_string(mo.groupSize)}, {"sym", mo.symmetric ? "true" : "false"},
      {"relative_output_error", std::to_string(err)}};
  model::writeSafetensors(o.out, {{"weight", q.dequantized.contiguous()}}, meta);

  if (o.json) {
    nlohmann::json j;
    j["method"] = quant::methodName(mo.method);
    j["bits"] = q.bits;
    j["group"] = mo.groupSize;
    j["sym"] = mo.symmetric;
    j["act_order"] = mo.actOrder;
    j["static_groups"] = mo.staticGroups;
    j["damp"] = mo.percdamp;
    if (mo.method == quant::Method::GPTQ) {
      j["damp_used"] = q.damp;
      j["damp_increases"] = q.dampIncreases;
    }
    j["rows"] = w.size(0);
    j["cols"] = w.size(1);
    j["tokens"] = x.size(0);
    j["relative_output_error"] = err;
    j["seconds"] = seconds;
    j["out"] = o.out;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("method        %s, %d bits, group %d, %s\n", quant::methodName(mo.method).c_str(),
              q.bits, mo.groupSize, mo.symmetric ? "symmetric" : "asymmetric");
  std::printf("weight        %lld x %lld, %lld calibration tokens\n", (long long)w.size(0),
              (long long)w.size(1), (long long)x.size(0));
  if (mo.method == quant::Method::GPTQ)
    std::printf("damp          %g (raised x10 %d times)\n", q.damp, q.dampIncreases);
  std::printf("output error  %.6e  (||WX - QX||^2 / ||WX||^2)\n", err);
  std::printf("time          %.3f s\n", seconds);
  std::printf("wrote         %s (tensor 'weight', F32, dequantized)\n", o.out.c_str());
}

const bool registered = qid::cli::registerCommand(
    {"quantize-tensor", 50, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "quantize-tensor",
           "Quantize one weight matrix [out, in] given calibration inputs [tokens, in]; writes the "
           "dequantized weight as tensor 'weight' (F32) and prints the relative output error "
           "||WX-QX||^2/||WX||^2");
       sub->add_option("--weight", o->weight,
                       "safetensors file with the weight [out, in] (tensor 'weight', or its only tensor)")
           ->required();
       sub->add_option("--inputs", o->inputs,
                       "safetensors file with the inputs [tokens, in] (tensor 'inputs', or its only tensor)")
           ->required();
       sub->add_option("--method", o->method, "gptq | rtn | awq | nf4 | fp4 | int8 (default gptq)");
       sub->add_option("--bits", o->bits, "Bit width 1-8 (nf4/fp4: 4, int8: 8)")->required();
       sub->add_option("--group", o->group,
                       "Columns per scale group; -1 (default) is one scale per output row. A group "
                       "that does not divide the columns leaves a partial last group");
       sub->add_option("--damp", o->damp, "GPTQ relative damping (fraction of mean diag H, default 0.01)");
       sub->add_flag("--sym", o->sym, "Symmetric grid (default asymmetric)");
       sub->add_flag("--act-order", o->actOrder, "GPTQ: quantize columns by descending diag(H)");
       sub->add_flag("--static-groups", o->staticGroups,
                     "GPTQ: fit all group grids on the original weight before any update");
       sub->add_option("--out", o->out, "Output safetensors file")->required();
       sub->add_flag("--json", o->json, "Machine-readable output");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
