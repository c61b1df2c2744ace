package org.refusalscope.core.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.ForwardRequest;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.model.GenerationRequest;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.model.ModelInfo;
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.api.pipeline.ActivationSource;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.core.judge.RefusalScore;

/**
 * The one place the pipeline talks to the model: chat template, batching (all sets of one call in batched forwards
 * of the same prompt, so the backend can share the prefix), caching of sets already evaluated, and counting of model
 * evaluations. Feature sets become SAE-latent edits with the error term kept, at all positions.
 */
public final class EvaluationEngine implements ActivationSource {

	private final LanguageModel model;
	private final Map<Integer, SparseAutoencoder> saes;
	private final LatentEditMode mode;
	private final float value;
	private final int maxBatch;
	private final int[] refusalTokens;
	private final Map<String, int[]> tokens = new HashMap<>();
	private final Map<String, Map<TreeSet<FeatureRef>, Double>> scoreCache = new HashMap<>();
	private final Map<String, Map<String, GenerationResult>> generationCache = new HashMap<>();
	private final Map<String, Map<FeatureRef, Double>> baselineActivationCache = new HashMap<>();
	private final LatentProbe probe;
	private int postInstruction = -1;
	private long evaluations;

	public EvaluationEngine(LanguageModel model, Map<Integer, SparseAutoencoder> saes, LatentEditMode mode, float value,
			int maxBatch) {
		this.model = model;
		this.saes = new TreeMap<>(saes);
		this.mode = mode;
		this.value = value;
		this.maxBatch = Math.max(1, maxBatch);
		this.refusalTokens = RefusalScore.refusalTokens(model);
		this.probe = new LatentProbe(this.saes);
	}

	public LanguageModel languageModel() {
		return model;
	}

	public Map<Integer, SparseAutoencoder> saes() {
		return saes;
	}

	/** Model evaluations (forward passes or generations per sequence) spent so far; cache hits are free. */
	public long evaluations() {
		return evaluations;
	}

	public int[] refusalTokens() {
		return refusalTokens.clone();
	}

	/** Chat-formatted token ids of a prompt (one user message, generation prompt added). */
	public int[] tokens(Prompt prompt) {
		return tokens.computeIfAbsent(prompt.text(), text -> model.encodeChat(List.of(ChatMessage.user(text))));
	}

	@Override
	public ModelInfo model() {
		return model.info();
	}

	@Override
	public int postInstructionTokens() {
		if(postInstruction < 0) {
			// the template tokens after the instruction: render around a marker and count what follows it
			String marker = "Zq7 marker";
			String rendered = model.renderChat(List.of(ChatMessage.user(marker)), true);
			int at = rendered.lastIndexOf(marker);
			String after = at < 0 ? "" : rendered.substring(at + marker.length());
			postInstruction = Math.max(1, model.tokenize(after, false).length);
		}
		return postInstruction;
	}

	/** The plan ablating {@code set}: one latent edit per layer, error term kept, all positions. */
	public InterventionPlan plan(Collection<FeatureRef> set) {
		Map<Integer, List<Integer>> byLayer = new TreeMap<>();
		for(FeatureRef f : new TreeSet<>(set)) {
			byLayer.computeIfAbsent(f.layer(), l -> new ArrayList<>()).add(f.feature());
		}
		List<Edit> edits = new ArrayList<>();
		for(Map.Entry<Integer, List<Integer>> entry : byLayer.entrySet()) {
			SparseAutoencoder sae = saes.get(entry.getKey());
			if(sae == null) {
				throw new IllegalArgumentException("no SAE loaded for layer " + entry.getKey() + " (feature "
						+ entry.getKey() + ":" + entry.getValue().get(0) + "); loaded layers: " + saes.keySet());
			}
			int[] latents = entry.getValue().stream().mapToInt(Integer::intValue).toArray();
			edits.add(new Edit.LatentEdit(sae, latents, mode, value, PositionScope.ALL));
		}
		return new InterventionPlan(edits);
	}

	@Override
	public float[][][] activations(List<Prompt> prompts, HookPoint hook, int[] layers, int position) {
		List<ActivationCapture> captures = new ArrayList<>();
		for(int layer : layers) {
			captures.add(new ActivationCapture(layer, hook));
		}
		float[][][] out = new float[prompts.size()][layers.length][];
		for(int start = 0; start < prompts.size(); start += maxBatch) {
			List<int[]> batch = sequences(prompts.subList(start, Math.min(prompts.size(), start + maxBatch)));
			ForwardResult result = forward(new ForwardRequest(batch, List.of(InterventionPlan.NONE), new int[]{position},
					false, captures));
			for(int l = 0; l < layers.length; l++) {
				float[][][] acts = result.activations(captures.get(l));
				for(int s = 0; s < batch.size(); s++) {
					out[start + s][l] = acts[s][0];
				}
			}
		}
		return out;
	}

	@Override
	public double[] refusalScores(List<Prompt> prompts, InterventionPlan plan) {
		float[][] logits = lastLogits(prompts, plan);
		double[] out = new double[logits.length];
		for(int i = 0; i < logits.length; i++) {
			out[i] = RefusalScore.fromLogits(logits[i], refusalTokens);
		}
		return out;
	}

	@Override
	public float[][] nextTokenLogProbs(List<Prompt> prompts, InterventionPlan plan) {
		float[][] logits = lastLogits(prompts, plan);
		for(float[] row : logits) {
			double max = Double.NEGATIVE_INFINITY;
			for(float v : row) {
				max = Math.max(max, v);
			}
			double sum = 0;
			for(float v : row) {
				sum += Math.exp(v - max);
			}
			double log = max + Math.log(sum);
			for(int t = 0; t < row.length; t++) {
				row[t] = (float) (row[t] - log);
			}
		}
		return logits;
	}

	private float[][] lastLogits(List<Prompt> prompts, InterventionPlan plan) {
		float[][] out = new float[prompts.size()][];
		for(int start = 0; start < prompts.size(); start += maxBatch) {
			List<int[]> batch = sequences(prompts.subList(start, Math.min(prompts.size(), start + maxBatch)));
			ForwardResult result = forward(new ForwardRequest(batch, List.of(plan), new int[]{-1}, true, List.of()));
			for(int s = 0; s < batch.size(); s++) {
				out[start + s] = result.lastLogits(s);
			}
		}
		return out;
	}

	/**
	 * Refusal scores of one prompt under the ablation of each set. Sets not seen before go through batched forwards of
	 * the same prompt repeated with one plan per set; repeated sets are answered from the cache.
	 */
	public double[] scoreSets(Prompt prompt, List<? extends Collection<FeatureRef>> sets) {
		Map<TreeSet<FeatureRef>, Double> cache = scoreCache.computeIfAbsent(prompt.text(), t -> new HashMap<>());
		LinkedHashMap<TreeSet<FeatureRef>, Integer> missing = new LinkedHashMap<>();
		for(Collection<FeatureRef> set : sets) {
			TreeSet<FeatureRef> key = new TreeSet<>(set);
			if(!cache.containsKey(key)) {
				missing.putIfAbsent(key, missing.size());
			}
		}
		List<TreeSet<FeatureRef>> todo = new ArrayList<>(missing.keySet());
		int[] ids = tokens(prompt);
		for(int start = 0; start < todo.size(); start += maxBatch) {
			List<TreeSet<FeatureRef>> chunk = todo.subList(start, Math.min(todo.size(), start + maxBatch));
			List<int[]> sequences = new ArrayList<>();
			List<InterventionPlan> plans = new ArrayList<>();
			for(TreeSet<FeatureRef> set : chunk) {
				sequences.add(ids);
				plans.add(plan(set));
			}
			ForwardResult result = forward(new ForwardRequest(sequences, plans, new int[]{-1}, true, List.of()));
			for(int s = 0; s < chunk.size(); s++) {
				cache.put(chunk.get(s), RefusalScore.fromLogits(result.lastLogits(s), refusalTokens));
			}
		}
		double[] out = new double[sets.size()];
		for(int i = 0; i < sets.size(); i++) {
			out[i] = cache.get(new TreeSet<>(sets.get(i)));
		}
		return out;
	}

	/** Greedy completions of one prompt under the ablation of each set, batched and cached like scores. */
	public List<GenerationResult> generateSets(Prompt prompt, List<? extends Collection<FeatureRef>> sets,
			int maxNewTokens) {
		Map<String, GenerationResult> cache = generationCache.computeIfAbsent(prompt.text(), t -> new HashMap<>());
		List<TreeSet<FeatureRef>> todo = new ArrayList<>();
		for(Collection<FeatureRef> set : sets) {
			TreeSet<FeatureRef> key = new TreeSet<>(set);
			if(!cache.containsKey(maxNewTokens + key.toString()) && !todo.contains(key)) {
				todo.add(key);
			}
		}
		int[] ids = tokens(prompt);
		for(int start = 0; start < todo.size(); start += maxBatch) {
			List<TreeSet<FeatureRef>> chunk = todo.subList(start, Math.min(todo.size(), start + maxBatch));
			List<int[]> prompts = new ArrayList<>();
			List<InterventionPlan> plans = new ArrayList<>();
			for(TreeSet<FeatureRef> set : chunk) {
				prompts.add(ids);
				plans.add(plan(set));
			}
			List<GenerationResult> results = model.generate(new GenerationRequest(prompts, plans, maxNewTokens, 0.0, 0L));
			evaluations += chunk.size();
			for(int s = 0; s < chunk.size(); s++) {
				cache.put(maxNewTokens + chunk.get(s).toString(), results.get(s));
			}
		}
		List<GenerationResult> out = new ArrayList<>();
		for(Collection<FeatureRef> set : sets) {
			out.add(cache.get(maxNewTokens + new TreeSet<>(set).toString()));
		}
		return out;
	}

	/** The refusal score read from a completion's first-step logits. */
	public double score(GenerationResult generation) {
		return RefusalScore.fromLogits(generation.firstStepLogits(), refusalTokens);
	}

	/**
	 * Max activation over the prompt's positions (BOS excluded) of each {@code probed} latent, at baseline (empty
	 * {@code ablated}) or with {@code ablated} ablated. Baseline values are cached per prompt (re-ranking, the stored
	 * activations and stage 3 all ask for them), so only latents not measured before cost a forward.
	 */
	public double[] latentActivations(Prompt prompt, Collection<FeatureRef> ablated, List<FeatureRef> probed) {
		if(!ablated.isEmpty()) {
			return measure(prompt, ablated, probed);
		}
		Map<FeatureRef, Double> cache = baselineActivationCache.computeIfAbsent(prompt.text(), t -> new HashMap<>());
		List<FeatureRef> missing = probed.stream().filter(f -> !cache.containsKey(f)).distinct().toList();
		if(!missing.isEmpty()) {
			double[] values = measure(prompt, List.of(), missing);
			for(int i = 0; i < missing.size(); i++) {
				cache.put(missing.get(i), values[i]);
			}
		}
		return probed.stream().mapToDouble(cache::get).toArray();
	}

	private double[] measure(Prompt prompt, Collection<FeatureRef> ablated, List<FeatureRef> probed) {
		int[] ids = tokens(prompt);
		int count = Math.max(1, ids.length - 1);
		int[] positions = new int[count];
		for(int i = 0; i < count; i++) {
			positions[i] = -count + i;
		}
		List<ActivationCapture> captures = probe.captures(probed);
		ForwardResult result = forward(new ForwardRequest(List.<int[]>of(ids), List.of(plan(ablated)), positions, false,
				captures));
		return probe.maxActivations(result, probed);
	}

	private ForwardResult forward(ForwardRequest request) {
		ForwardResult result = model.forward(request);
		evaluations += request.sequences().size();
		return result;
	}

	private List<int[]> sequences(List<Prompt> prompts) {
		List<int[]> out = new ArrayList<>();
		for(Prompt p : prompts) {
			out.add(tokens(p));
		}
		return out;
	}
}
