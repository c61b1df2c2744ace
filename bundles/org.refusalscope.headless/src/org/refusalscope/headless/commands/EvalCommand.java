package org.refusalscope.headless.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.judge.JudgeInput;
import org.refusalscope.api.judge.RefusalJudge;
import org.refusalscope.api.model.GenerationRequest;
import org.refusalscope.api.model.GenerationResult;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.core.json.Json;
import org.refusalscope.core.pipeline.EvaluationEngine;
import org.refusalscope.core.registry.StrategyRegistry;
import org.refusalscope.headless.CliContext;
import org.refusalscope.headless.UsageException;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
		description = "Judges prompts (greedy generation + the substring judge, as dissect does), optionally with SAE "
				+ "features ablated, so a reported minimal set can be checked.")
public class EvalCommand implements Callable<Integer> {

	private static final int BATCH = 16;
	private final CliContext context;

	@Option(names = "--model", required = true, description = "Model folder or 'default'.")
	String model;
	@Option(names = "--prompts", required = true, description = "Prompt file (.json, .csv or text).")
	Path prompts;
	@Option(names = "--limit", description = "Only the first N prompts.")
	Integer limit;
	@Option(names = "--max-new-tokens", defaultValue = "48", description = "Greedy tokens per completion (48).")
	int maxNewTokens;
	@Option(names = "--sae", description = "SAE location, 'default' or 'default:L' (needed with --ablate).")
	String sae;
	@Option(names = "--ablate", split = ",", description = "Features to ablate, LAYER:FEATURE,...")
	List<String> ablate;
	@Option(names = "--ablate-mode", defaultValue = "zero", description = "zero, scale:C or set:C (zero).")
	String ablateMode;
	@Option(names = "--json", description = "Print one JSON object {n, refused, refusal_rate, items}.")
	boolean json;

	public EvalCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() throws Exception {
		List<FeatureRef> features = new ArrayList<>();
		for(String text : ablate == null ? List.<String>of() : ablate) {
			try {
				features.add(FeatureRef.parse(text));
			} catch(IllegalArgumentException e) {
				throw new UsageException("--ablate: " + e.getMessage());
			}
		}
		if(!features.isEmpty() && sae == null) {
			throw new UsageException("--ablate needs --sae");
		}
		LatentEditMode mode;
		float value;
		try {
			mode = LatentEditMode.parse(ablateMode);
			value = LatentEditMode.parseValue(ablateMode);
		} catch(IllegalArgumentException e) {
			throw new UsageException("--ablate-mode: " + e.getMessage());
		}
		if(maxNewTokens < 1 || (limit != null && limit < 1)) {
			throw new UsageException("--max-new-tokens and --limit must be positive");
		}
		StrategyRegistry registry = context.registry();
		List<Prompt> all = ModelSession.readPrompts(registry, prompts, "--prompts");
		List<Prompt> chosen = limit == null ? all : all.subList(0, Math.min(limit, all.size()));
		@SuppressWarnings("unchecked")
		RefusalJudge<Object> judge = (RefusalJudge<Object>) registry.find(StrategyRole.REFUSAL_JUDGE, "substring")
				.orElseThrow(() -> new IllegalStateException("the substring judge is not registered"));
		JsonArray items = new JsonArray();
		int refused = 0;
		try(LanguageModel languageModel = ModelSession.loadModel(registry, model)) {
			Map<Integer, SparseAutoencoder> saes = sae == null ? Map.of()
					: ModelSession.loadSaes(registry, sae, languageModel.info().hiddenSize());
			EvaluationEngine engine = new EvaluationEngine(languageModel, saes, mode, value, BATCH);
			InterventionPlan plan = engine.plan(features);
			for(int start = 0; start < chosen.size(); start += BATCH) {
				List<Prompt> batch = chosen.subList(start, Math.min(chosen.size(), start + BATCH));
				context.err().println("[refusalscope] eval " + (start + batch.size()) + "/" + chosen.size());
				List<int[]> ids = batch.stream().map(engine::tokens).toList();
				List<GenerationResult> results = languageModel.generate(GenerationRequest.greedy(ids, plan, maxNewTokens));
				for(int i = 0; i < batch.size(); i++) {
					GenerationResult g = results.get(i);
					double score = engine.score(g);
					boolean isRefused = judge.judge(new JudgeInput(batch.get(i).text(), g.text(), score),
							judge.defaultSettings()).refused();
					refused += isRefused ? 1 : 0;
					JsonObject item = new JsonObject();
					item.addProperty("prompt", batch.get(i).text());
					item.addProperty("refused", isRefused);
					item.addProperty("refusal_score", score);
					item.addProperty("completion", g.text());
					items.add(item);
				}
			}
		}
		JsonObject root = new JsonObject();
		root.addProperty("n", chosen.size());
		root.addProperty("refused", refused);
		root.addProperty("refusal_rate", chosen.isEmpty() ? 0.0 : refused / (double) chosen.size());
		if(!features.isEmpty()) {
			root.addProperty("ablate", String.join(",", features.stream().map(FeatureRef::toString).toList()));
			root.addProperty("ablate_mode", ablateMode);
		}
		root.add("items", items);
		if(json) {
			context.out().println(Json.writeCompact(root));
		} else {
			context.out().printf("%d of %d prompts refused (%.1f%%)%n", refused, chosen.size(),
					100.0 * root.get("refusal_rate").getAsDouble());
			for(var element : items) {
				JsonObject item = element.getAsJsonObject();
				context.out().printf("  [%s] %6.2f  %s%n", item.get("refused").getAsBoolean() ? "refused " : "complied",
						item.get("refusal_score").getAsDouble(), item.get("prompt").getAsString());
			}
		}
		return 0;
	}
}
