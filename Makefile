# The two commands a newcomer needs: `make run` and `make test`.
# Both set everything up first (tools/bootstrap.sh), in a virtual environment in .venv.

.PHONY: run test bench setup clean

setup:
	@tools/bootstrap.sh

run: setup
	@.venv/bin/python -m cowrite.demo out/demo

test: setup
	@QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest

bench: setup
	@.venv/bin/python benchmarks/spine.py
	@.venv/bin/python benchmarks/audio.py
	@.venv/bin/python benchmarks/eval_assistants.py

clean:
	rm -rf .venv out .pytest_cache
