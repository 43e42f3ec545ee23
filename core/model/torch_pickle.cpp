#include "model/torch_pickle.h"

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "common/error.h"

namespace qid::model {

namespace {

// A bound on the values one data.pkl may create (a state dict of a 12B model
// needs a few ten thousand); it caps the memory a crafted file can take.
constexpr std::size_t kMaxValues = std::size_t(1) << 21;
constexpr std::int64_t kMaxElements = std::int64_t(1) << 48;
constexpr std::size_t kMaxDims = 32;

const std::map<std::string, std::size_t>& storageTypes() {
  static const std::map<std::string, std::size_t> t{
      {"FloatStorage", 4}, {"HalfStorage", 2}, {"BFloat16Storage", 2}, {"DoubleStorage", 8},
      {"LongStorage", 8},  {"IntStorage", 4},  {"ShortStorage", 2},    {"CharStorage", 1},
      {"ByteStorage", 1},  {"BoolStorage", 1}};
  return t;
}

enum class Kind { None, Bool, Int, Str, Tuple, List, Dict, Global, Storage, Tensor };
enum class Sym { OrderedDict, RebuildTensor, StorageType };

const char* kindName(Kind k) {
  switch (k) {
    case Kind::None: return "None";
    case Kind::Bool: return "a bool";
    case Kind::Int: return "an integer";
    case Kind::Str: return "a string";
    case Kind::Tuple: return "a tuple";
    case Kind::List: return "a list";
    case Kind::Dict: return "a dict";
    case Kind::Global: return "a global";
    case Kind::Storage: return "a storage";
    case Kind::Tensor: return "a tensor";
  }
  return "?";
}

struct Value;
using VP = std::shared_ptr<Value>;

struct Value {
  Kind kind = Kind::None;
  std::int64_t i = 0;        // Int, Bool; Global: Sym; Storage: numel; Tensor: offset
  std::string s;             // Str; Global: storage type; Storage: key
  std::string s2;            // Storage: type; Global: qualified name
  std::string loc;           // Storage: location
  std::vector<VP> items;     // Tuple, List; Dict: k0, v0, k1, v1, ...; Tensor: {storage}
  std::vector<std::int64_t> sizes, strides;  // Tensor
};

class Machine {
 public:
  Machine(std::string_view bytes, std::string where) : b_(bytes), where_(std::move(where)) {}
  ~Machine() {
    // Break every link first: nothing is then destroyed recursively, and
    // cycles a crafted file built through the memo are freed too.
    for (auto& v : all_) v->items.clear();
  }
  VP run();

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(where_ + ": " + what + " (at byte " + std::to_string(opAt_) + " of the pickle)");
  }
  const char* need(std::size_t n) {
    if (n > b_.size() - pos_) fail("truncated pickle: " + std::to_string(n) + " more bytes needed");
    const char* p = b_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::uint64_t le(std::size_t n) {
    const char* p = need(n);
    std::uint64_t v = 0;
    for (std::size_t k = n; k-- > 0;) v = (v << 8) | static_cast<unsigned char>(p[k]);
    return v;
  }
  std::string line() {
    std::size_t end = b_.find('\n', pos_);
    if (end == std::string_view::npos || end - pos_ > 256) fail("truncated or overlong GLOBAL name");
    std::string s(b_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }
  VP make(Kind k) {
    if (all_.size() >= kMaxValues) fail("the pickle creates more than " + std::to_string(kMaxValues) + " values");
    auto v = std::make_shared<Value>();
    v->kind = k;
    all_.push_back(v);
    return v;
  }
  VP integer(std::int64_t x) {
    VP v = make(Kind::Int);
    v->i = x;
    return v;
  }
  std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  VP pop() {
    if (stack_.size() <= floor()) fail("pickle stack underflow");
    VP v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  VP& top() {
    if (stack_.size() <= floor()) fail("pickle stack underflow");
    return stack_.back();
  }
  std::vector<VP> popMark() {
    if (marks_.empty()) fail("pickle has no MARK to pop to");
    std::size_t m = marks_.back();
    marks_.pop_back();
    std::vector<VP> items(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
    stack_.resize(m);
    return items;
  }
  void push(VP v) { stack_.push_back(std::move(v)); }
  void memoPut(std::uint64_t index) {
    if (memo_.size() >= kMaxValues && !memo_.count(index)) fail("pickle memo too large");
    memo_[index] = top();
  }
  void memoGet(std::uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail("pickle refers to memo entry " + std::to_string(index) + ", which was never stored");
    push(it->second);
  }
  VP global(const std::string& module, const std::string& name);
  VP reduce(const VP& callable, const VP& args);
  VP persistent(const VP& pid);

  std::string_view b_;
  std::string where_;
  std::size_t pos_ = 0, opAt_ = 0;
  std::vector<VP> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, VP> memo_;
  std::vector<VP> all_;
  std::map<std::string, VP> storages_;
};

VP Machine::global(const std::string& module, const std::string& name) {
  VP g = make(Kind::Global);
  g->s2 = module + "." + name;
  if (module == "collections" && name == "OrderedDict") {
    g->i = static_cast<int>(Sym::OrderedDict);
  } else if (module == "torch._utils" && name == "_rebuild_tensor_v2") {
    g->i = static_cast<int>(Sym::RebuildTensor);
  } else if (module == "torch" && storageTypes().count(name)) {
    g->i = static_cast<int>(Sym::StorageType);
    g->s = name;
  } else {
    fail("refusing to execute pickle global " + g->s2 +
         " (a weights-only state dict needs only torch storages, torch._utils._rebuild_tensor_v2 and "
         "collections.OrderedDict; this file may be malicious, or it holds more than weights)");
  }
  return g;
}

VP Machine::persistent(const VP& pid) {
  if (pid->kind != Kind::Tuple || pid->items.size() != 5 || pid->items[0]->kind != Kind::Str ||
      pid->items[0]->s != "storage")
    fail("unsupported persistent id (expected ('storage', type, key, location, numel))");
  const VP& type = pid->items[1];
  if (type->kind != Kind::Global || type->i != static_cast<int>(Sym::StorageType))
    fail("persistent id names no torch storage type");
  if (pid->items[2]->kind != Kind::Str || pid->items[3]->kind != Kind::Str || pid->items[4]->kind != Kind::Int)
    fail("persistent id has a bad key, location or element count");
  const std::string& key = pid->items[2]->s;
  const std::int64_t numel = pid->items[4]->i;
  if (numel < 0 || numel > kMaxElements)
    fail("storage '" + key + "' claims " + std::to_string(numel) + " elements");
  auto it = storages_.find(key);
  if (it != storages_.end()) {
    if (it->second->s2 != type->s || it->second->i != numel)
      fail("storage '" + key + "' is described twice, differently");
    return it->second;
  }
  VP s = make(Kind::Storage);
  s->s = key;
  s->s2 = type->s;
  s->loc = pid->items[3]->s;
  s->i = numel;
  storages_[key] = s;
  return s;
}

VP Machine::reduce(const VP& callable, const VP& args) {
  if (callable->kind != Kind::Global) fail("REDUCE calls " + std::string(kindName(callable->kind)));
  if (args->kind != Kind::Tuple) fail("REDUCE arguments are not a tuple");
  const auto sym = static_cast<Sym>(callable->i);
  if (sym == Sym::OrderedDict) {
    if (!args->items.empty()) fail("collections.OrderedDict called with arguments");
    return make(Kind::Dict);
  }
  if (sym != Sym::RebuildTensor) fail("refusing to call " + callable->s2);
  const auto& a = args->items;
  if (a.size() != 6 && a.size() != 7)
    fail("_rebuild_tensor_v2 takes 6 or 7 arguments, got " + std::to_string(a.size()));
  if (a[0]->kind != Kind::Storage) fail("_rebuild_tensor_v2: the first argument is not a storage");
  if (a[1]->kind != Kind::Int) fail("_rebuild_tensor_v2: the storage offset is not an integer");
  for (int k : {2, 3}) {
    if (a[size_t(k)]->kind != Kind::Tuple || a[size_t(k)]->items.size() > kMaxDims)
      fail("_rebuild_tensor_v2: the size or stride is not a tuple of at most " + std::to_string(kMaxDims) + " integers");
    for (const auto& d : a[size_t(k)]->items)
      if (d->kind != Kind::Int) fail("_rebuild_tensor_v2: a size or stride is not an integer");
  }
  if (a[2]->items.size() != a[3]->items.size()) fail("_rebuild_tensor_v2: size and stride differ in length");
  if (a[4]->kind != Kind::Bool && a[4]->kind != Kind::Int) fail("_rebuild_tensor_v2: requires_grad is not a bool");
  if (a[5]->kind != Kind::Dict || !a[5]->items.empty())
    fail("_rebuild_tensor_v2: backward hooks are not an empty OrderedDict (hooks are code; refused)");
  if (a.size() == 7 && a[6]->kind != Kind::None && a[6]->kind != Kind::Dict)
    fail("_rebuild_tensor_v2: the metadata is not a dict");
  VP t = make(Kind::Tensor);
  t->items = {a[0]};
  t->i = a[1]->i;
  for (const auto& d : a[2]->items) t->sizes.push_back(d->i);
  for (const auto& d : a[3]->items) t->strides.push_back(d->i);
  return t;
}

VP Machine::run() {
  for (;;) {
    opAt_ = pos_;
    const auto op = static_cast<unsigned char>(*need(1));
    switch (op) {
      case 0x80: {  // PROTO
        auto v = le(1);
        if (v < 2 || v > 5) fail("unsupported pickle protocol " + std::to_string(v));
        break;
      }
      case 0x95: le(8); break;  // FRAME: frames only group opcodes
      case '.': {  // STOP
        if (!marks_.empty() || stack_.size() != 1) fail("pickle stops with an unbalanced stack");
        return stack_.back();
      }
      case '(': marks_.push_back(stack_.size()); break;  // MARK
      case '0': pop(); break;                          // POP
      case '2': push(top()); break;                    // DUP
      case 'N': push(make(Kind::None)); break;
      case 0x88: case 0x89: {  // NEWTRUE, NEWFALSE
        VP v = make(Kind::Bool);
        v->i = op == 0x88;
        push(v);
        break;
      }
      case 'J': push(integer(static_cast<std::int32_t>(static_cast<std::uint32_t>(le(4))))); break;  // BININT
      case 'K': push(integer(static_cast<std::int64_t>(le(1)))); break;  // BININT1
      case 'M': push(integer(static_cast<std::int64_t>(le(2)))); break;  // BININT2
      case 0x8a: {  // LONG1
        const auto n = le(1);
        if (n > 8) fail("integer of " + std::to_string(n) + " bytes is too large");
        std::uint64_t v = n ? le(n) : 0;
        if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~std::uint64_t(0) << (8 * n);  // sign-extend
        push(integer(static_cast<std::int64_t>(v)));
        break;
      }
      case 'X': case 0x8c: case 0x8d: {  // BINUNICODE, SHORT_BINUNICODE, BINUNICODE8
        const auto n = le(op == 'X' ? 4 : op == 0x8c ? 1 : 8);
        if (n > b_.size() - pos_) fail("truncated pickle: a string of " + std::to_string(n) + " bytes runs past the end");
        VP v = make(Kind::Str);
        v->s.assign(need(static_cast<std::size_t>(n)), static_cast<std::size_t>(n));
        push(v);
        break;
      }
      case ')': push(make(Kind::Tuple)); break;  // EMPTY_TUPLE
      case ']': push(make(Kind::List)); break;   // EMPTY_LIST
      case '}': push(make(Kind::Dict)); break;   // EMPTY_DICT
      case 't': {  // TUPLE
        VP v = make(Kind::Tuple);
        v->items = popMark();
        push(v);
        break;
      }
      case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
        VP v = make(Kind::Tuple);
        v->items.resize(op - 0x84u);
        for (std::size_t k = v->items.size(); k-- > 0;) v->items[k] = pop();
        push(v);
        break;
      }
      case 'a': {  // APPEND
        VP v = pop();
        if (top()->kind != Kind::List) fail("APPEND to " + std::string(kindName(top()->kind)));
        top()->items.push_back(std::move(v));
        break;
      }
      case 'e': {  // APPENDS
        auto items = popMark();
        if (top()->kind != Kind::List) fail("APPENDS to " + std::string(kindName(top()->kind)));
        for (auto& v : items) top()->items.push_back(std::move(v));
        break;
      }
      case 's': {  // SETITEM
        VP v = pop(), k = pop();
        if (top()->kind != Kind::Dict) fail("SETITEM on " + std::string(kindName(top()->kind)));
        top()->items.push_back(std::move(k));
        top()->items.push_back(std::move(v));
        break;
      }
      case 'u': {  // SETITEMS
        auto items = popMark();
        if (items.size() % 2) fail("SETITEMS with an odd number of values");
        if (top()->kind != Kind::Dict) fail("SETITEMS on " + std::string(kindName(top()->kind)));
        for (auto& v : items) top()->items.push_back(std::move(v));
        break;
      }
      case 'q': memoPut(le(1)); break;          // BINPUT
      case 'r': memoPut(le(4)); break;          // LONG_BINPUT
      case 0x94: memoPut(memo_.size()); break;  // MEMOIZE
      case 'h': memoGet(le(1)); break;          // BINGET
      case 'j': memoGet(le(4)); break;          // LONG_BINGET
      case 'c': {  // GLOBAL
        std::string module = line();
        std::string name = line();
        push(global(module, name));
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        VP name = pop(), module = pop();
        if (name->kind != Kind::Str || module->kind != Kind::Str) fail("STACK_GLOBAL needs two strings");
        push(global(module->s, name->s));
        break;
      }
      case 'R': {  // REDUCE
        VP args = pop(), callable = pop();
        push(reduce(callable, args));
        break;
      }
      case 'Q': push(persistent(pop())); break;  // BINPERSID
      case 'b': {  // BUILD: only the __dict__ of an OrderedDict (torch's _metadata), ignored
        VP state = pop();
        if (top()->kind != Kind::Dict || (state->kind != Kind::Dict && state->kind != Kind::None))
          fail("BUILD on " + std::string(kindName(top()->kind)) + " (only a state dict's metadata is accepted)");
        break;
      }
      default: {
        char text[64];
        std::snprintf(text, sizeof text, "unsupported pickle opcode 0x%02x", op);
        std::string msg = text;
        if (op >= 0x20 && op < 0x7f) msg += std::string(" ('") + char(op) + "')";
        fail(msg + ": outside the subset a weights-only state dict uses");
      }
    }
  }
}

std::int64_t checkedMul(std::int64_t a, std::int64_t b, bool& overflow) {
  if (a != 0 && b > kMaxElements / a) overflow = true;
  return overflow ? 0 : a * b;
}

}  // namespace

std::size_t storageElementSize(const std::string& storageType) {
  auto it = storageTypes().find(storageType);
  return it == storageTypes().end() ? 0 : it->second;
}

std::vector<PickledTensor> readStateDictPickle(std::string_view bytes, const std::string& where) {
  Machine machine(bytes, where);
  VP root = machine.run();
  if (root->kind != Kind::Dict)
    throw Error(where + ": the pickle holds " + kindName(root->kind) + ", not a state dict");
  std::vector<PickledTensor> out;
  std::set<std::string> names;
  for (std::size_t k = 0; k + 1 < root->items.size(); k += 2) {
    const VP& key = root->items[k];
    const VP& value = root->items[k + 1];
    if (key->kind != Kind::Str) throw Error(where + ": a key of the state dict is " + kindName(key->kind));
    const std::string at = where + ": tensor '" + key->s + "'";
    if (value->kind != Kind::Tensor)
      throw Error(at + " is " + kindName(value->kind) + ", but a weights-only state dict holds only tensors");
    if (!names.insert(key->s).second) throw Error(at + " appears twice");
    const Value& storage = *value->items.at(0);
    PickledTensor t;
    t.name = key->s;
    t.storageKey = storage.s;
    t.storageType = storage.s2;
    t.location = storage.loc;
    t.storageNumel = storage.i;
    t.offset = value->i;
    t.sizes = value->sizes;
    t.strides = value->strides;
    if (t.offset < 0 || t.offset > kMaxElements) throw Error(at + ": storage offset " + std::to_string(t.offset) + " is out of range");
    bool overflow = false;
    std::int64_t numel = 1, last = t.offset;
    for (std::size_t d = 0; d < t.sizes.size(); ++d) {
      if (t.sizes[d] < 0 || t.strides[d] < 0)
        throw Error(at + ": negative size or stride in dimension " + std::to_string(d));
      if (t.sizes[d] > 1 && t.strides[d] == 0)
        throw Error(at + ": a broadcast view (stride 0), which a weights file never holds");
      numel = checkedMul(numel, t.sizes[d], overflow);
      if (t.sizes[d] > 0) last += checkedMul(t.sizes[d] - 1, t.strides[d], overflow);
      if (last > kMaxElements) overflow = true;
    }
    if (overflow) throw Error(at + ": its size overflows (more than 2^48 elements)");
    if (numel > t.storageNumel)
      throw Error(at + " has " + std::to_string(numel) + " elements but its storage '" + t.storageKey +
                  "' holds only " + std::to_string(t.storageNumel));
    if (numel > 0 && last >= t.storageNumel)
      throw Error(at + " reaches element " + std::to_string(last) + " of storage '" + t.storageKey +
                  "', which holds only " + std::to_string(t.storageNumel) + " elements");
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace qid::model
