package org.refusalscope.headless.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.refusalscope.core.io.AtomicFiles;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Runs {@code benchmarks/hf_eager_forward.py} (plain PyTorch eager, Debian's python3-torch) on the same checkpoint
 * and token ids as our forward row, inside the same bench run.
 */
final class Baseline {

	static final String SCRIPT = "benchmarks/hf_eager_forward.py";

	private Baseline() {
	}

	static JsonObject run(Path home, Path checkpoint, Path cache, BenchShape shape, int batch, int seq, int repeats,
			double budgetS, String computeDtype) throws IOException, InterruptedException {
		Path script = home.resolve(SCRIPT);
		if(!Files.isRegularFile(script)) {
			throw new IOException("baseline script " + script + " not found");
		}
		Path tokens = cache.resolve("tokens-" + shape.name() + "-b" + batch + "-s" + seq + ".json");
		AtomicFiles.writeString(tokens, TokenIds.toJson(TokenIds.batch(batch, seq, shape.vocab(), 0)).toString());
		// the same arithmetic as ours: our compute dtype (float32, or float16 for large models), else bf16 as stored
		String dtype = computeDtype == null ? "bfloat16"
				// float16-storage computes in float32
				: computeDtype.toLowerCase().contains("32") || computeDtype.contains("storage") ? "float32"
						: computeDtype.toLowerCase().contains("bf") ? "bfloat16" : "float16";
		List<String> command = List.of(python(), script.toString(), "--model", checkpoint.toString(), "--tokens",
				tokens.toString(), "--repeats", Integer.toString(repeats), "--budget", Double.toString(budgetS), "--dtype", dtype);
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		process.getOutputStream().close();
		String out;
		try(InputStream stdout = process.getInputStream()) {
			out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8).strip();
		}
		if(!process.waitFor(2, TimeUnit.HOURS)) {
			process.destroyForcibly();
			throw new IOException(script + " did not finish within 2 hours");
		}
		int code = process.exitValue();
		if(code > 128) {
			// 128 + signal number: stopped from outside (SIGTERM 143, SIGKILL 137, e.g. the OOM killer)
			throw new IOException(script + " was killed by signal " + (code - 128) + " (exit code " + code + ")");
		}
		if(code != 0) {
			throw new IOException(script + " exited with code " + code
					+ " (its error is printed above; it needs python3-torch: sudo apt-get install -y python3-torch)");
		}
		String last = out.substring(out.lastIndexOf('\n') + 1);
		JsonObject result = JsonParser.parseString(last).getAsJsonObject();
		result.addProperty("shape", shape.name());
		result.addProperty("python", command.get(0));
		if(result.has("blas") && result.get("blas").isJsonPrimitive()
				&& result.get("blas").getAsString().contains("/blas/libblas")) {
			// Debian's default libblas3 is the unoptimised reference BLAS: the baseline would be 10x too slow
			result.addProperty("blas_warning", "torch runs on the reference BLAS (" + result.get("blas").getAsString()
					+ "); for a fair baseline: sudo apt-get install -y libopenblas0-pthread");
		}
		return result;
	}

	/** Debian's interpreter first (python3-torch installs there), else whatever python3 is on the PATH. */
	private static String python() {
		String configured = System.getenv("REFUSALSCOPE_BASELINE_PYTHON");
		if(configured != null && !configured.isBlank()) {
			return configured;
		}
		return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
	}
}
