package org.refusalscope.sae;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.sae.SparseAutoencoder;

/**
 * Feature metadata for analysts: for each latent the top activating (prompt, token) pairs over a prompt set, its
 * firing frequency, and its Neuronpedia page for published SAEs. Prompts run in batches; latents are encoded with
 * {@link SaeBatchMath}. Used by the workbench and by {@code inspect --sae}.
 */
public final class FeatureExamples {

	/** One activating token: the prompt, the position, the token's text and a few tokens of context before it. */
	public record Example(float activation, int prompt, int position, String token, String context) {
	}

	/** Metadata of one latent. */
	public record Latent(int feature, String neuronpediaUrl, double frequency, float maxActivation, List<Example> top) {
	}

	private static final int CONTEXT_TOKENS = 8;

	private FeatureExamples() {
	}

	/**
	 * @param latents the latents to describe, or null for all
	 * @param topN    examples kept per latent
	 */
	public static List<Latent> collect(LanguageModel model, SparseAutoencoder sae, List<String> prompts, boolean chat,
			int[] latents, int topN, int batchSize, ProgressMonitor monitor) {
		SaeBatchMath math = new SaeBatchMath(sae);
		int[] chosen = latents != null ? latents : java.util.stream.IntStream.range(0, math.dSae()).toArray();
		List<PriorityQueue<Example>> heaps = new ArrayList<>();
		for(int i = 0; i < chosen.length; i++) {
			heaps.add(new PriorityQueue<>(Comparator.comparingDouble(Example::activation)));
		}
		long[] fires = new long[chosen.length];
		long tokens = 0;
		List<int[]> ids = PromptTokens.encode(model, prompts, chat);
		ActivationCapture capture = new ActivationCapture(sae.info().layer(), sae.info().hook());
		monitor.begin("Top activations of " + chosen.length + " latents", prompts.size());
		for(PromptTokens.Batch batch : PromptTokens.batches(ids, batchSize)) {
			monitor.checkCanceled();
			ForwardResult result = model.forward(new ForwardRequest(batch.ids(), List.of(InterventionPlan.NONE),
					batch.allPositions(), false, List.of(capture)));
			float[][][] acts = result.activations(capture);
			for(int s = 0; s < batch.ids().size(); s++) {
				int[] tokenIds = batch.ids().get(s);
				int first = PromptTokens.firstContentPosition(tokenIds, model.info().bosTokenId());
				float[][] f = math.encode(java.util.Arrays.copyOfRange(acts[s], first, acts[s].length));
				for(int p = 0; p < f.length; p++) {
					tokens++;
					int position = p + first;
					for(int i = 0; i < chosen.length; i++) {
						float value = f[p][chosen[i]];
						if(value <= 0f) {
							continue;
						}
						fires[i]++;
						PriorityQueue<Example> heap = heaps.get(i);
						if(heap.size() < topN || value > heap.peek().activation()) {
							int from = Math.max(0, position - CONTEXT_TOKENS);
							heap.add(new Example(value, batch.promptIndices()[s], position, model.tokenText(tokenIds[position]),
									model.decode(java.util.Arrays.copyOfRange(tokenIds, from, position + 1))));
							if(heap.size() > topN) {
								heap.poll();
							}
						}
					}
				}
			}
			monitor.worked(batch.ids().size());
		}
		List<Latent> out = new ArrayList<>();
		for(int i = 0; i < chosen.length; i++) {
			List<Example> top = new ArrayList<>(heaps.get(i));
			top.sort(Comparator.comparingDouble(Example::activation).reversed());
			out.add(new Latent(chosen[i], sae.info().neuronpediaUrl(chosen[i]), tokens > 0 ? (double) fires[i] / tokens : 0,
					top.isEmpty() ? 0f : top.get(0).activation(), top));
		}
		return out;
	}
}
