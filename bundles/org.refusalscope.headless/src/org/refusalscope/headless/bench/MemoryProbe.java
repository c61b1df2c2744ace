package org.refusalscope.headless.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.model.ModelBackend;
import org.refusalscope.core.registry.StrategyRegistry;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The memory check of one model folder ({@code bench-worker --task memory}): load with a given compute dtype, then
 * one forward of {@code batch x seq} tokens (last-position logits), reporting load time and the process's peak
 * resident memory (VmHWM) and anonymous resident memory after each step. One forward, not a timed row: on a small
 * CPU one batch-8 forward of an 8B model takes minutes, and the question is whether it fits.
 */
public final class MemoryProbe {

	private MemoryProbe() {
	}

	public static JsonObject run(String shapeName, Path folder, String computeDtype, int batch, int seq,
			StrategyRegistry registry, Consumer<String> log) throws IOException {
		BenchShape shape = BenchShape.fromConfig(shapeName,
				JsonParser.parseString(Files.readString(folder.resolve("config.json"))).getAsJsonObject());
		ModelBackend backend = Services.backend(registry);
		JsonObject result = new JsonObject();
		result.addProperty("shape", shapeName);
		result.addProperty("parameters", shape.parameterCount());
		result.addProperty("requested_dtype", computeDtype);
		result.addProperty("load_average_start", MachineInfo.loadAverage());
		ProcessMemory.resetPeak();
		long start = System.nanoTime();
		try(LanguageModel model = backend.load(folder, new LoadOptions(computeDtype, 0))) {
			result.addProperty("load_s", Stats.round((System.nanoTime() - start) / 1e9));
			result.addProperty("compute_dtype", model.info().computeDtype());
			result.addProperty("load_peak_rss_mb", ProcessMemory.peakMb());
			result.addProperty("after_load_rss_anon_mb", ProcessMemory.anonMb());
			log.accept("  loaded " + shapeName + " (" + model.info().computeDtype() + ") in " + result.get("load_s")
					+ " s, peak " + ProcessMemory.peakMb() + " MiB, anonymous " + ProcessMemory.anonMb() + " MiB");
			List<int[]> ids = TokenIds.batch(batch, seq, shape.vocab(), 0);
			start = System.nanoTime();
			float[] logits = model.forward(ForwardRequest.lastLogits(ids)).lastLogits(0);
			double seconds = (System.nanoTime() - start) / 1e9;
			result.addProperty("batch", batch);
			result.addProperty("seq", seq);
			result.addProperty("forward_s", Stats.round(seconds));
			result.addProperty("tokens_per_s", Stats.round(batch * seq / seconds));
			result.addProperty("finite_logits", Float.isFinite(logits[0]));
			result.addProperty("peak_rss_mb", ProcessMemory.peakMb());
			result.addProperty("after_forward_rss_anon_mb", ProcessMemory.anonMb());
			result.addProperty("load_average_end", MachineInfo.loadAverage());
			log.accept("  forward batch " + batch + " x " + seq + " in " + result.get("forward_s") + " s, peak "
					+ ProcessMemory.peakMb() + " MiB");
		}
		return result;
	}
}
