# Wrappers around CMake. `make run` and `make test` work as root on a fresh Debian 12.
BUILD       ?= build
ASAN_BUILD  ?= build-asan
FUZZ_BUILD  ?= build-fuzz
PREFIX      ?= /usr/local
JOBS        ?= $(shell nproc)
FUZZ_SECONDS ?= 60
CONFIG      ?= banwatch.yaml
BANWATCH_CORPUS ?= $(abspath ../shared/corpus)
export BANWATCH_CORPUS

# Every Debian package the build, tests, fuzzing and benchmarks need.
DEB_PACKAGES := build-essential cmake pkg-config git ca-certificates \
  libcurl4-openssl-dev libgumbo-dev libre2-dev libsqlitecpp-dev libsqlite3-dev \
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libcli11-dev nlohmann-json3-dev \
  libyaml-cpp-dev libxml2-dev libhowardhinnant-date-dev libcpp-httplib-dev zlib1g-dev \
  libbrotli-dev libutf8proc-dev libssl-dev libpqxx-dev \
  clang-16 libclang-rt-16-dev python3 python3-feedparser python3-readability \
  nginx-light postgresql valgrind ccache sqlite3 newsboat \
  chromium chromium-driver python3-selenium
DEPS_STAMP := $(BUILD)/.deps-installed
BANWATCH   ?= ./$(BUILD)/app/banwatch
# Only `make bench` needs these: GNU time and pgrep for its measurements,
# Node.js and npm for Mozilla Readability (a peer; bench/articles_peers.sh
# installs it with npm). A Node.js already on PATH is kept.
BENCH_PACKAGES := time procps

.PHONY: all deps bench-deps build test asan run run-steps install fuzz bench clean format tidy

all: build

deps: $(DEPS_STAMP)

$(DEPS_STAMP): Makefile
	@mkdir -p $(BUILD)
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$(echo $$missing | tr '\n' ' ')"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$(echo $$missing | tr '\n' ' ') >/dev/null; \
	fi
	@touch $@

$(BUILD)/CMakeCache.txt: | $(DEPS_STAMP)
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

test: build
	tests/run-ctest.sh $(BUILD) --output-on-failure -j$(JOBS)

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer, but for the
# whole-corpus scorers (2,107 feeds, 181 and 799 pages, 289 event passages), which make test runs at full speed.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBANWATCH_SANITIZE=ON -DBANWATCH_BENCH=OFF
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  tests/run-ctest.sh $(ASAN_BUILD) --output-on-failure -j$(JOBS) \
	  -E 'FeedsCorpus.FeedparserConformanceAtTarget|ArticleBenchmark.ZyteF1AtLeast096|DatesCorpus.HtmldatePagesF1AtLeast094|RulesDevSet'

# The main job: one crawl of the configured sources, then the digest of what is new.
# When that crawl reached none of them (no network), the demo follows: the same
# pipeline on the bundled sample site, into demo.db beside $(CONFIG). Exits
# non-zero only when banwatch itself failed: a crawl that reached some of the
# sources (exit 3) or none of them (exit 1, offline: the demo says so) is not
# a failure of `make run`.
run: build
	@$(MAKE) --no-print-directory run-steps

# `make run` without the build (tests/app run it with a test configuration).
run-steps:
	@[ -f $(CONFIG) ] || $(BANWATCH) --config $(CONFIG) init
	@$(BANWATCH) --config $(CONFIG) crawl -v; rc=$$?; case $$rc in 1|3) rc=0;; esac; \
	  $(BANWATCH) --config $(CONFIG) digest --since last || { s=$$?; [ $$rc -ne 0 ] || rc=$$s; }; \
	  $(BANWATCH) --config $(CONFIG) stats || { s=$$?; [ $$rc -ne 0 ] || rc=$$s; }; \
	  $(BANWATCH) --config $(CONFIG) demo --fallback || { s=$$?; [ $$rc -ne 0 ] || rc=$$s; }; \
	  exit $$rc

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

fuzz: deps
	CC=clang-16 CXX=clang++-16 cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBANWATCH_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.cpp)))
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run-all.sh $(FUZZ_BUILD)

bench-deps: deps
	@missing=$$(for p in $(BENCH_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  echo "installing Debian packages for the benchmarks: $$(echo $$missing | tr '\n' ' ')"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$(echo $$missing | tr '\n' ' ') >/dev/null; \
	fi

bench: build bench-deps
	bench/run-all.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

tidy: build
	run-clang-tidy -p $(BUILD) -quiet $$(git ls-files '*.cpp' | grep -v '^tests/fuzz/')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
