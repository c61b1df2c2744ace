package org.refusalscope.model.djl.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.core.judge.SubstringJudge;
import org.refusalscope.model.djl.DjlModelBackend;
import org.refusalscope.training.corpus.CorpusBuilder;
import org.refusalscope.training.corpus.InstructionFiles;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Measures a trained chat model through the platform's inference backend (KV-cache greedy generation, substring judge
 * of core): refusal rates on harmful_test and harmless_test, and Arditi's check that refusal is mediated by one
 * direction: the difference in means of resid_post (harmful_train minus as many harmless_train prompts) at each
 * post-instruction position and layer, as in Arditi et al.'s candidate grid; the candidate whose ablation lowers
 * harmful_val refusal most is chosen, and the direction is projected out of resid_pre, attn_out, mlp_out and
 * resid_post at every layer and position.
 */
public final class ModelMeasurement {

	private static final int BATCH = 32;

	/** The default chat template's post-instruction tokens, as offsets from the end of the prompt. */
	private static final int[] POST_INSTRUCTION_POSITIONS = {-5, -4, -3, -2, -1};

	private final LanguageModel model;
	private final PrintStream log;
	private final int maxNewTokens;
	private final SubstringJudge judge = new SubstringJudge();

	private ModelMeasurement(LanguageModel model, PrintStream log, int maxNewTokens) {
		this.model = model;
		this.log = log;
		this.maxNewTokens = maxNewTokens;
	}

	/** @param limit at most this many prompts of each test split (the first ones) */
	public static JsonObject measure(Path folder, Path dataDir, int limit, int maxNewTokens, PrintStream log) throws IOException {
		try(LanguageModel model = new DjlModelBackend().load(folder, LoadOptions.defaults())) {
			return new ModelMeasurement(model, log, maxNewTokens).run(dataDir, limit);
		}
	}

	private JsonObject run(Path dataDir, int limit) throws IOException {
		List<String> harmfulTest = first(InstructionFiles.read(dataDir.resolve("splits/harmful_test.json")), limit);
		List<String> harmlessTest = first(InstructionFiles.read(dataDir.resolve("splits/harmless_test.json")), limit);
		List<String> harmfulVal = InstructionFiles.read(dataDir.resolve("splits/harmful_val.json"));
		JsonObject report = new JsonObject();
		report.addProperty("max_new_tokens", maxNewTokens);
		report.add("harmful_test", rate("harmful_test", harmfulTest, InterventionPlan.NONE));
		report.add("harmless_test", rate("harmless_test", harmlessTest, InterventionPlan.NONE));
		List<String> harmfulTrain = CorpusBuilder.harmfulTrain(dataDir);
		List<String> harmlessTrain = first(InstructionFiles.read(dataDir.resolve("splits/harmless_train.json")), harmfulTrain.size());
		int layers = model.info().numLayers();
		float[][][] harmfulMeans = postInstructionMeans(harmfulTrain, layers);
		float[][][] harmlessMeans = postInstructionMeans(harmlessTrain, layers);
		float[][][] directions = new float[POST_INSTRUCTION_POSITIONS.length][layers][];
		JsonArray grid = new JsonArray();
		int bestLayer = -1;
		int bestIndex = 0;
		double bestRate = Double.POSITIVE_INFINITY;
		for(int p = 0; p < POST_INSTRUCTION_POSITIONS.length; p++) {
			for(int layer = 0; layer < layers; layer++) {
				float[] direction = unit(harmfulMeans[p][layer], harmlessMeans[p][layer]);
				directions[p][layer] = direction;
				int position = POST_INSTRUCTION_POSITIONS[p];
				JsonObject entry = rate("harmful_val ablate position " + position + " layer " + layer, harmfulVal, ablation(direction));
				entry.remove("examples");
				entry.addProperty("position", position);
				entry.addProperty("layer", layer);
				grid.add(entry);
				double rate = entry.get("refusal_rate").getAsDouble();
				if(rate < bestRate) {
					bestRate = rate;
					bestLayer = layer;
					bestIndex = p;
				}
			}
		}
		JsonObject ablation = new JsonObject();
		ablation.addProperty("direction", "diff-in-means of resid_post at one post-instruction position, harmful_train (" + harmfulTrain.size()
				+ ") minus harmless_train (" + harmlessTrain.size() + "); candidates: positions -5..-1 x every layer (Arditi et al.), "
				+ "chosen by the lowest harmful_val refusal rate under ablation");
		ablation.add("harmful_val_grid", grid);
		int bestPosition = POST_INSTRUCTION_POSITIONS[bestIndex];
		float[] bestDirection = directions[bestIndex][bestLayer];
		ablation.addProperty("chosen_layer", bestLayer);
		ablation.addProperty("chosen_position", bestPosition);
		// the method looks for the direction in the middle of the network: every layer's candidate at the chosen
		// position, on the test prompts too, so the middle layers' figures are on record whichever layer wins; the
		// chosen layer's run is also the reported harmful_test ablation (with its examples)
		JsonArray byLayer = new JsonArray();
		for(int layer = 0; layer < layers; layer++) {
			JsonObject entry = rate("harmful_test ablate position " + bestPosition + " layer " + layer, harmfulTest,
					ablation(directions[bestIndex][layer]));
			if(layer == bestLayer) {
				ablation.add("harmful_test_ablated", entry.deepCopy());
			}
			entry.remove("examples");
			entry.addProperty("layer", layer);
			byLayer.add(entry);
		}
		ablation.add("harmful_test_ablated_by_layer", byLayer);
		ablation.add("harmless_test_ablated", rate("harmless_test ablated", harmlessTest, ablation(bestDirection)));
		report.add("direction_ablation", ablation);
		return report;
	}

	private static List<String> first(List<String> items, int limit) {
		return new ArrayList<>(items.subList(0, Math.min(limit, items.size())));
	}

	private InterventionPlan ablation(float[] direction) {
		List<Edit> edits = new ArrayList<>();
		for(HookPoint hook : List.of(HookPoint.RESID_PRE, HookPoint.ATTN_OUT, HookPoint.MLP_OUT, HookPoint.RESID_POST)) {
			edits.add(new Edit.ProjectOut(Edit.ALL_LAYERS, hook, direction, PositionScope.ALL));
		}
		return new InterventionPlan(edits);
	}

	private JsonObject rate(String label, List<String> prompts, InterventionPlan plan) {
		int refused = 0;
		JsonArray examples = new JsonArray();
		for(int from = 0; from < prompts.size(); from += BATCH) {
			List<String> batch = prompts.subList(from, Math.min(prompts.size(), from + BATCH));
			List<int[]> ids = batch.stream().map(prompt -> model.encodeChat(List.of(ChatMessage.user(prompt)))).toList();
			List<GenerationResult> results = model.generate(GenerationRequest.greedy(ids, plan, maxNewTokens));
			for(int i = 0; i < batch.size(); i++) {
				boolean isRefused = judge.judge(new org.refusalscope.api.judge.JudgeInput(batch.get(i), results.get(i).text(), Double.NaN),
						judge.defaultSettings()).refused();
				refused += isRefused ? 1 : 0;
				if(examples.size() < 5) {
					JsonObject example = new JsonObject();
					example.addProperty("prompt", batch.get(i));
					example.addProperty("completion", results.get(i).text());
					example.addProperty("refused", isRefused);
					examples.add(example);
				}
			}
		}
		JsonObject out = new JsonObject();
		out.addProperty("n", prompts.size());
		out.addProperty("refused", refused);
		out.addProperty("refusal_rate", prompts.isEmpty() ? 0.0 : refused / (double)prompts.size());
		out.add("examples", examples);
		log.printf("%s: %d of %d refused (%.1f%%)%n", label, refused, prompts.size(), 100.0 * refused / Math.max(1, prompts.size()));
		return out;
	}

	/**
	 * Mean resid_post of every layer at each post-instruction position: the template tokens after the instruction
	 * ({@code <end_of_turn>\n<start_of_turn>model\n}: 5 tokens), indexed [position][layer][dimension].
	 */
	private float[][][] postInstructionMeans(List<String> prompts, int layers) {
		int hidden = model.info().hiddenSize();
		int positions = POST_INSTRUCTION_POSITIONS.length;
		double[][][] sums = new double[positions][layers][hidden];
		List<ActivationCapture> captures = new ArrayList<>();
		for(int layer = 0; layer < layers; layer++) {
			captures.add(ActivationCapture.residPost(layer));
		}
		for(int from = 0; from < prompts.size(); from += BATCH) {
			List<int[]> ids = prompts.subList(from, Math.min(prompts.size(), from + BATCH)).stream()
					.map(prompt -> model.encodeChat(List.of(ChatMessage.user(prompt)))).toList();
			ForwardResult result = model.forward(new ForwardRequest(ids, List.of(InterventionPlan.NONE), POST_INSTRUCTION_POSITIONS, false, captures));
			for(int layer = 0; layer < layers; layer++) {
				float[][][] values = result.activations(captures.get(layer));
				for(float[][] sequence : values) {
					for(int p = 0; p < positions; p++) {
						for(int d = 0; d < hidden; d++) {
							sums[p][layer][d] += sequence[p][d];
						}
					}
				}
			}
		}
		float[][][] means = new float[positions][layers][hidden];
		for(int p = 0; p < positions; p++) {
			for(int layer = 0; layer < layers; layer++) {
				for(int d = 0; d < hidden; d++) {
					means[p][layer][d] = (float)(sums[p][layer][d] / prompts.size());
				}
			}
		}
		return means;
	}

	private static float[] unit(float[] a, float[] b) {
		float[] direction = new float[a.length];
		double norm = 0;
		for(int i = 0; i < a.length; i++) {
			direction[i] = a[i] - b[i];
			norm += direction[i] * (double)direction[i];
		}
		norm = Math.sqrt(norm);
		for(int i = 0; i < a.length; i++) {
			direction[i] /= (float)norm;
		}
		return direction;
	}
}
