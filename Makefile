# Entry points: `make run` (default scenario), `make test` (every test) and `make bench`
# (bench/run_bench; BENCH_THREADS="1 2 4" sets the thread counts of its scaling runs). Each
# installs missing Debian packages first (as root) and builds Release in $(BUILD), profile-guided:
# the first build also builds an instrumented marketsim in $(BUILD)/pgo/build and runs
# scripts/pgo-train with it, and the Release build optimises with that profile (`make pgo` takes
# it again after changes to the hot paths; PGO=0 in a fresh BUILD builds without one), and
# link-time optimised (LTO=0 in a fresh BUILD builds without it; see README).
BUILD ?= build
JOBS ?= $(shell nproc)
PGO ?= 1
LTO ?= 1
MARKETSIM = $(BUILD)/sim/marketsim
PGO_DIR = $(abspath $(BUILD))/pgo
PGO_STAMP = $(if $(filter 1,$(PGO)),$(PGO_DIR)/profile.stamp)

.PHONY: all deps build run test bench docs format clean pgo

all: build

deps:
	@scripts/install-deps

$(PGO_DIR)/profile.stamp: | deps
	rm -rf $(PGO_DIR)/profile
	cmake -S . -B $(PGO_DIR)/build -DCMAKE_BUILD_TYPE=Release \
	  -DMARKETSIM_PGO_GENERATE=$(PGO_DIR)/profile
	cmake --build $(PGO_DIR)/build -j $(JOBS) --target marketsim
	scripts/pgo-train $(PGO_DIR)/build/sim/marketsim
	touch $@

$(BUILD)/CMakeCache.txt: $(PGO_STAMP) | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DMARKETSIM_LTO=$(if $(filter 1,$(LTO)),ON,OFF) \
	  -DMARKETSIM_PGO_USE=$(if $(PGO_STAMP),$(PGO_DIR)/profile)

pgo: deps
	rm -f $(PGO_DIR)/profile.stamp
	$(MAKE) $(PGO_DIR)/profile.stamp
	cmake --build $(BUILD) --target clean
	$(MAKE) build

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(MARKETSIM) run scenarios/default.toml -o results/default.h5
	$(MARKETSIM) plot results/default.h5 -o results/default_plots

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

bench: build
	bench/run_bench $(MARKETSIM) $(if $(BENCH_THREADS),--threads $(BENCH_THREADS))

docs: build
	scripts/update-docs $(MARKETSIM)

format:
	git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
