package org.refusalscope.sae;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;

/**
 * Streams prompts through the model and writes the activations of several layers (every position but BOS) into one
 * {@link ActivationCache} per layer ({@code root/layer_<L>}), a chunk at a time, so the collected activations can
 * exceed memory. One forward per batch captures all layers at once.
 */
public final class ActivationCollector {

	private ActivationCollector() {
	}

	public static Map<Integer, ActivationCache> collect(LanguageModel model, List<String> prompts, boolean chat, int[] layers,
			HookPoint hook, Path root, int batchSize, int chunkRows, ProgressMonitor monitor) throws IOException {
		int dModel = model.info().hiddenSize();
		Map<Integer, ActivationCache.Writer> writers = new LinkedHashMap<>();
		List<ActivationCapture> captures = new ArrayList<>();
		for(int layer : layers) {
			writers.put(layer, new ActivationCache.Writer(root.resolve("layer_" + layer), dModel, chunkRows));
			captures.add(new ActivationCapture(layer, hook));
		}
		List<int[]> ids = PromptTokens.encode(model, prompts, chat);
		monitor.begin("Collecting activations of " + prompts.size() + " prompts", prompts.size());
		for(PromptTokens.Batch batch : PromptTokens.batches(ids, batchSize)) {
			monitor.checkCanceled();
			ForwardResult result = model.forward(new ForwardRequest(batch.ids(), List.of(InterventionPlan.NONE),
					batch.allPositions(), false, captures));
			for(ActivationCapture capture : captures) {
				float[][][] values = result.activations(capture);
				ActivationCache.Writer writer = writers.get(capture.layer());
				for(int s = 0; s < batch.ids().size(); s++) {
					int first = PromptTokens.firstContentPosition(batch.ids().get(s), model.info().bosTokenId());
					for(int p = first; p < values[s].length; p++) {
						writer.add(values[s][p]);
					}
				}
			}
			monitor.worked(batch.ids().size());
		}
		Map<Integer, ActivationCache> caches = new LinkedHashMap<>();
		for(Map.Entry<Integer, ActivationCache.Writer> entry : writers.entrySet()) {
			caches.put(entry.getKey(), entry.getValue().finish());
		}
		return caches;
	}
}
