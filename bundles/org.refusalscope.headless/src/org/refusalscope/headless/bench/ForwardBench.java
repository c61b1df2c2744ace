package org.refusalscope.headless.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.GenerationRequest;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Forward and generation throughput of one loaded model, run inside a bench worker (one JVM per shape). Each row
 * does one untimed warm-up forward, then {@code repeats} timed forwards of the same batch; the peak resident
 * memory is reset before the row and read after it.
 */
public final class ForwardBench {

	private ForwardBench() {
	}

	/**
	 * Rows of batch x length. One warm-up forward per model (allocator, kernel selection); then each row repeats
	 * its timed forward {@code repeats} times, or fewer (at least 2) once the row has spent {@code rowBudgetS}
	 * seconds: a Gemma-2-2B batch-8 forward takes minutes on a small CPU. The count is reported per row.
	 */
	public static JsonArray forwardRows(LanguageModel model, BenchShape shape, int[] batches, int[] seqs, int repeats,
			double rowBudgetS, int[] checkRow, Consumer<String> log) {
		JsonArray rows = new JsonArray();
		model.forward(ForwardRequest.lastLogits(TokenIds.batch(1, 8, shape.vocab(), 3)));
		for(int seq : seqs) {
			for(int batch : batches) {
				List<int[]> ids = TokenIds.batch(batch, seq, shape.vocab(), 0);
				ForwardRequest request = ForwardRequest.lastLogits(ids);
				ProcessMemory.resetPeak();
				double[] seconds = timeRepeats(() -> model.forward(request), repeats, rowBudgetS);
				JsonObject row = new JsonObject();
				row.addProperty("shape", shape.name());
				row.addProperty("batch", batch);
				row.addProperty("seq", seq);
				Stats tokens = Stats.rates((double) batch * seq, seconds);
				tokens.put(row, "tokens_per_s");
				Stats gflops = Stats.rates(shape.forwardFlops(batch, seq) / 1e9, seconds);
				row.addProperty("gflops", Stats.round(gflops.median()));
				row.addProperty("seconds_median", Stats.round(Stats.of(seconds).median()));
				row.addProperty("repeats", seconds.length);
				row.addProperty("peak_rss_mb", ProcessMemory.peakMb());
				if(checkRow != null && checkRow[0] == batch && checkRow[1] == seq) {
					// the first logits of sequence 0, compared with the baseline's to show both compute the same forward
					float[] logits = model.forward(ForwardRequest.lastLogits(List.of(ids.get(0)))).lastLogits(0);
					JsonArray head = new JsonArray();
					for(int i = 0; i < Math.min(16, logits.length); i++) {
						head.add(logits[i]);
					}
					row.add("logits_head", head);
				}
				rows.add(row);
				log.accept(String.format(java.util.Locale.ROOT, "  %s batch %d seq %d: %.1f tokens/s (%.1f..%.1f), %.1f GFLOP/s, peak %.0f MiB",
						shape.name(), batch, seq, tokens.median(), tokens.min(), tokens.max(), gflops.median(),
						ProcessMemory.peakMb()));
			}
		}
		return rows;
	}

	static double[] timeRepeats(Runnable body, int repeats, double budgetS) {
		double[] seconds = new double[repeats];
		double spent = 0;
		int done = 0;
		while(done < repeats && (done < 2 || spent < budgetS)) {
			long start = System.nanoTime();
			body.run();
			seconds[done] = (System.nanoTime() - start) / 1e9;
			spent += seconds[done++];
		}
		return java.util.Arrays.copyOf(seconds, done);
	}

	/**
	 * Greedy generation with the KV cache: new tokens per second over the whole call (prefill of the prompt
	 * included, as a user sees it), plus the prefill time alone so the decode rate can be derived.
	 */
	public static JsonArray generationRows(LanguageModel model, BenchShape shape, int[] batches, int promptLength,
			int newTokens, int repeats, Consumer<String> log) {
		JsonArray rows = new JsonArray();
		for(int batch : batches) {
			List<int[]> prompts = new ArrayList<>(TokenIds.batch(batch, promptLength, shape.vocab(), 1));
			GenerationRequest request = new GenerationRequest(prompts, List.of(InterventionPlan.NONE), newTokens, 0.0, 0L);
			ForwardRequest prefill = ForwardRequest.lastLogits(prompts);
			ProcessMemory.resetPeak();
			double[] seconds = new double[repeats];
			double[] prefillSeconds = new double[repeats];
			int generated = 0;
			for(int r = 0; r < repeats; r++) {
				long start = System.nanoTime();
				generated = model.generate(request).stream().mapToInt(g -> g.tokens().length).sum();
				seconds[r] = (System.nanoTime() - start) / 1e9;
				start = System.nanoTime();
				model.forward(prefill);
				prefillSeconds[r] = (System.nanoTime() - start) / 1e9;
			}
			JsonObject row = new JsonObject();
			row.addProperty("shape", shape.name());
			row.addProperty("batch", batch);
			row.addProperty("prompt_len", promptLength);
			row.addProperty("new_tokens", newTokens);
			row.addProperty("tokens_generated", generated);
			Stats rate = Stats.rates(generated, seconds);
			rate.put(row, "tokens_per_s");
			double decode = Stats.of(seconds).median() - Stats.of(prefillSeconds).median();
			row.addProperty("prefill_s_median", Stats.round(Stats.of(prefillSeconds).median()));
			row.addProperty("decode_tokens_per_s", decode > 0 ? Stats.round(generated / decode) : null);
			row.addProperty("peak_rss_mb", ProcessMemory.peakMb());
			rows.add(row);
			log.accept(String.format(java.util.Locale.ROOT, "  %s generate batch %d: %.1f new tokens/s", shape.name(), batch,
					rate.median()));
		}
		return rows;
	}
}
