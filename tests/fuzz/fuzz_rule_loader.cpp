// Fuzz target for the rule-pack loader: any YAML gives an engine or an error
// naming the input; never a crash, a hang or an exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  banwatch::rules::LoadOptions options;
  options.max_regex_memory = 8u << 20;
  auto engine = banwatch::rules::RuleEngine::load_yaml(yaml, "fuzz.yaml", options);
  if (engine) (void)(*engine)->extract("Freedonia banned Acmesoft. The company said so.", {});
  return 0;
}
