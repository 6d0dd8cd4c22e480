# The two README commands: `make run` and `make test`. Everything else is a helper.
PRESET   ?= release
BUILD    := build/$(PRESET)
PORT     ?= 8080
DB       ?= ./keha.db
# `make test` (and so CI) fails on any compiler warning; `make run` only shows them.
WERROR   ?= OFF
DEB_PACKAGES := g++ cmake ninja-build pkg-config ccache \
  libboost1.81-dev nlohmann-json3-dev libsqlite3-dev libssl-dev libgtest-dev libgmock-dev \
  libcli11-dev libqrencode-dev libimgui-dev libglfw3-dev libgl-dev libgl1-mesa-dri \
  fonts-noto-core fonts-dejavu-core xvfb xauth chromium poppler-utils nginx \
  libfontconfig-dev xdotool libasound2-dev \
  clang libclang-rt-14-dev clang-format clang-tidy \
  help2man dpkg-dev desktop-file-utils lintian systemd adduser openssl curl python3 valgrind \
  libpq-dev postgresql-15 haproxy

.PHONY: run test build configure deps bench bench-deps clean e2e-deps test-asan test-fuzz fuzz package

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done; \
	  command -v npm >/dev/null || echo nodejs npm); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages. Run:"; echo "  sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi

# The browser tests run on Debian 12's own Node.js (18) and npm (9); tests/e2e/package.json
# pins a playwright-core that supports it. npm ci again whenever the lockfile changed.
NODE_MIN := 18
e2e-deps: tests/e2e/node_modules/.package-lock.json
tests/e2e/node_modules/.package-lock.json: tests/e2e/package-lock.json
	@v=$$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0); \
	if [ "$$v" -lt $(NODE_MIN) ]; then \
	  echo "The browser tests need Node.js $(NODE_MIN) or newer; found: $$(node --version 2>/dev/null || echo none)."; \
	  echo "On Debian 12: apt-get install nodejs npm"; exit 1; \
	fi
	@cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error

# configure: what both commands need before they build anything.
configure: deps
	@cmake --preset $(PRESET) -DKEHA_WERROR=$(WERROR) >/dev/null

build: configure
	@cmake --build --preset $(PRESET)

# Only the server and what it links; `make test` builds the rest.
run: configure
	@cmake --build --preset $(PRESET) --target keha-server
	@echo "Kehä: open http://localhost:$(PORT)/ (or this machine's address on the meeting-room network)"
	@$(BUILD)/server/keha-server --port $(PORT) --db $(DB)

test: WERROR = ON
test: build e2e-deps
	@cd $(BUILD) && ctest --output-on-failure -j2
	@$(MAKE) --no-print-directory WERROR=ON test-asan test-fuzz

# The unit, facilitation, store and integration suites again under AddressSanitizer and
# UndefinedBehaviorSanitizer (the asan preset); any report fails the run.
SANITIZER_ENV := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# UBSan's vptr check opens a pipe to test that memory is readable; with every descriptor in
# use it cannot, and reports a false "invalid vptr". The test that exhausts descriptors on
# purpose runs in the release suite only.
NOT_UNDER_SANITIZERS := integration.Limits.AcceptPausesWhenFileDescriptorsRunOut
test-asan: deps
	@cmake --preset asan -DKEHA_WERROR=$(WERROR) >/dev/null
	@cmake --build --preset asan
	@cd build/asan && $(SANITIZER_ENV) ctest --output-on-failure -j2 -E '$(NOT_UNDER_SANITIZERS)'

# Each libFuzzer target for a bounded run from its committed seeds (tests/fuzz/corpus).
test-fuzz: deps
	@cmake --preset fuzz -DKEHA_WERROR=$(WERROR) >/dev/null
	@cmake --build --preset fuzz
	@cd build/fuzz && ctest --output-on-failure -j2

# Longer fuzzing: FUZZ_SECONDS per target; what a run finds lands in build/fuzz/tests/fuzz/findings/.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := message reducer http_bodies client_patch
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz
	@for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  mkdir -p build/fuzz/tests/fuzz/corpus/$$t build/fuzz/tests/fuzz/findings; \
	  build/fuzz/tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -dict=tests/fuzz/keha.dict -artifact_prefix=build/fuzz/tests/fuzz/findings/$$t- \
	    build/fuzz/tests/fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# The Debian packages keha-server, keha-desk and keha-common from the release build
# (README "Packages"); they land in build/release/packages/.
package: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) --target keha-package-files
	@cd $(BUILD) && out=$$(cpack) && echo "$$out" | sed -n 's/^CPack: - package: \(.*\) generated\.$$/\1/p'

# The benchmark's peers (tests/bench/peers): `ws` and better-sqlite3 from the npm registry.
# better-sqlite3 is compiled here against Debian's Node.js headers; nothing is fetched at run time.
bench-deps: tests/bench/peers/node_modules/.package-lock.json
tests/bench/peers/node_modules/.package-lock.json: tests/bench/peers/package-lock.json
	@cd tests/bench/peers && npm_config_build_from_source=true npm_config_nodedir=/usr \
	  npm ci --no-audit --no-fund --loglevel=error

# keha-server beside the peers, interleaved, medians of 3 (docs/performance.md says what each
# figure is). BENCH_MODE=quick (about 15 minutes) prints the figures and writes them to
# build/…/bench/performance.md; BENCH_MODE=full takes longer and writes docs/performance.md.
BENCH_MODE ?= quick
BENCH_TARGETS ?= keha,keha-pg,ws-relay,ws-relay-sqlite
BENCH_DIR  := $(BUILD)/bench
BENCH_DOC  := $(if $(filter full,$(BENCH_MODE)),docs/performance.md,$(BENCH_DIR)/performance.md)
bench: configure bench-deps
	@cmake --build --preset $(PRESET) --target keha-bench keha-failover-bench keha-desk
	@mkdir -p $(BENCH_DIR)
	@$(BUILD)/tests/bench/keha-bench --mode $(BENCH_MODE) --targets $(BENCH_TARGETS) --out $(BENCH_DIR)/results.json
	@# A node of two behind HAProxy killed mid-load: until its members are back (tests/bench/failover.cpp).
	@$(BUILD)/tests/bench/keha-failover-bench --runs $(if $(filter full,$(BENCH_MODE)),10,5) --out $(BENCH_DIR)/failover.md
	@# Instruction counts of one fixed workload: keha-server under callgrind.
	@$(BUILD)/tests/bench/keha-bench --callgrind --out $(BENCH_DIR)/workload.json \
	  --wrapper valgrind,--tool=callgrind,--callgrind-out-file=$(BENCH_DIR)/callgrind.out >/dev/null
	@callgrind_annotate --inclusive=yes --threshold=100 $(BENCH_DIR)/callgrind.out > $(BENCH_DIR)/callgrind.txt
	@# The projector's frame time, in a virtual X server with Mesa's software renderer.
	@d=$$(for n in $$(seq 90 130); do [ -e /tmp/.X11-unix/X$$n ] || { echo $$n; break; }; done); \
	Xvfb :$$d -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 & xpid=$$!; sleep 1; \
	DISPLAY=:$$d LIBGL_ALWAYS_SOFTWARE=1 $(BUILD)/client/keha-desk --bench-frames 400 --bench-items 1000 \
	  > $(BENCH_DIR)/projector.txt; \
	kill $$xpid
	@python3 tests/bench/report.py $(BENCH_DIR)/results.json --callgrind $(BENCH_DIR)/callgrind.txt \
	  $(BENCH_DIR)/workload.json --projector $(BENCH_DIR)/projector.txt --notes tests/bench/notes.md \
	  --failover $(BENCH_DIR)/failover.md --doc $(BENCH_DOC)
	@$(if $(filter full,$(BENCH_MODE)),mkdir -p docs/performance/results && cp $(BENCH_DIR)/results.json docs/performance/results/)
	@echo "keha-bench: the figures are in $(BENCH_DOC)"

clean:
	rm -rf build
