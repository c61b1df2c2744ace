package org.refusalscope.core.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LatentEditMode;
import org.refusalscope.api.pipeline.Candidate;
import org.refusalscope.api.pipeline.DirectionFinder;
import org.refusalscope.api.pipeline.FeatureCollector;
import org.refusalscope.api.pipeline.RefusalDirection;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.core.io.AtomicFiles;
import org.refusalscope.core.json.Json;
import org.refusalscope.core.runs.DissectionResults;
import org.refusalscope.core.runs.RunFolder;

import com.google.gson.JsonObject;

/**
 * Runs a whole dissection: stage 1 once (direction and pooled candidates), then stages 2 and 3 prompt by prompt.
 * After every prompt the progress, {@code results.json}, the CSV tables and the report are rewritten atomically, so
 * a cancelled run (Ctrl-C) keeps the finished prompts and {@code --resume} continues after them.
 */
public final class DissectionRunner {

	/**
	 * @param model     the loaded model
	 * @param saes      SAE per layer
	 * @param saeIds    SAE ids for the record
	 * @param harmful   prompts for the direction (harmful side)
	 * @param harmless  prompts for the direction (harmless side)
	 * @param prompts   the prompts to dissect, in order
	 */
	public record Inputs(LanguageModel model, Map<Integer, SparseAutoencoder> saes, List<String> saeIds,
			List<Prompt> harmful, List<Prompt> harmless, List<Prompt> prompts) {
	}

	/** What {@code progress.json} holds. */
	record Progress(List<String> prompts, List<DissectionResults.PromptResult> done) {
	}

	public static final String VERSION = "0.1.0";

	private final ResolvedStrategy.Lookup lookup;

	public DissectionRunner(ResolvedStrategy.Lookup lookup) {
		this.lookup = lookup;
	}

	public DissectionResults run(Inputs in, RunSettings requested, RunFolder folder, boolean resume,
			ProgressMonitor monitor) throws IOException {
		RunSettings s = requested.withDefaults();
		ProgressMonitor progress = monitor == null ? ProgressMonitor.NULL : monitor;
		Files.createDirectories(folder.dir());
		ResolvedStrategy<DirectionFinder<?>> finder = ResolvedStrategy.resolve(lookup, StrategyRole.DIRECTION_FINDER,
				s.direction().id(), s.direction().settings());
		ResolvedStrategy<FeatureCollector<?>> collector = ResolvedStrategy.resolve(lookup,
				StrategyRole.FEATURE_COLLECTOR, s.collector().id(), s.collector().settings());
		PromptDissection.Plan plan = new PromptDissection.Plan(
				ResolvedStrategy.resolve(lookup, StrategyRole.PRUNING_STRATEGY, s.pruning().id(), s.pruning().settings()),
				ResolvedStrategy.resolve(lookup, StrategyRole.INTERACTION_MODEL, s.interaction().id(),
						s.interaction().settings()),
				ResolvedStrategy.resolve(lookup, StrategyRole.REFUSAL_JUDGE, s.judge(), null), s);
		List<DissectionResults.PromptResult> done = loadProgress(folder, in.prompts(), resume);
		EvaluationEngine engine = new EvaluationEngine(in.model(), in.saes(), LatentEditMode.parse(s.ablateMode()),
				LatentEditMode.parseValue(s.ablateMode()), s.maxBatch());
		progress.begin("Dissecting " + in.prompts().size() + " prompts", in.prompts().size() + 1);
		progress.subTask("stage 1: refusal direction");
		ProgressMonitor nested = new NestedMonitor(progress);
		RefusalDirection direction = findDirection(finder, engine, in, nested);
		progress.subTask("stage 1: candidate features");
		List<Candidate> candidates = collect(collector, direction, engine, in, nested);
		if(candidates.isEmpty()) {
			throw new IllegalStateException("the feature collector '" + s.collector().id() + "' found no candidates");
		}
		progress.worked(1);
		Map<String, String> strategies = new LinkedHashMap<>();
		strategies.put(StrategyRole.DIRECTION_FINDER.id(), finder.strategy().id());
		strategies.put(StrategyRole.FEATURE_COLLECTOR.id(), collector.strategy().id());
		strategies.put(StrategyRole.PRUNING_STRATEGY.id(), plan.pruning().strategy().id());
		strategies.put(StrategyRole.INTERACTION_MODEL.id(), plan.interaction().strategy().id());
		strategies.put(StrategyRole.REFUSAL_JUDGE.id(), plan.judge().strategy().id());
		DissectionResults.RunInfo info = new DissectionResults.RunInfo(in.model().info().name(), in.saeIds(),
				in.model().chatTemplate(), new DissectionResults.Direction(direction.layer(), direction.position(),
						direction.hook().hookName(direction.layer()), norm(direction.vector())),
				strategies, VERSION);
		writeConfig(folder, s, in, engine, direction, strategies);
		List<DissectionResults.PromptResult> results = new ArrayList<>(done);
		progress.worked(done.size());
		for(int i = done.size(); i < in.prompts().size(); i++) {
			progress.checkCanceled();
			Prompt prompt = in.prompts().get(i);
			progress.subTask("prompt " + (i + 1) + "/" + in.prompts().size() + ": " + abbreviate(prompt.text()));
			results.add(PromptDissection.run(engine, prompt, candidates, plan, nested));
			save(folder, in.prompts(), results, info);
			progress.worked(1);
		}
		return save(folder, in.prompts(), results, info);
	}

	private DissectionResults save(RunFolder folder, List<Prompt> prompts, List<DissectionResults.PromptResult> results,
			DissectionResults.RunInfo info) throws IOException {
		List<String> texts = prompts.stream().map(Prompt::text).toList();
		AtomicFiles.writeString(folder.file(RunFolder.PROGRESS), Json.write(new Progress(texts, results)));
		DissectionResults all = new DissectionResults(DissectionResults.SCHEMA_VERSION, info, summary(results), results);
		folder.writeResults(all);
		RunReport.write(folder, all);
		return all;
	}

	/** Summary over the prompts done; flip rate = flipped / refused at baseline, by the verdict judge. */
	public static DissectionResults.Summary summary(List<DissectionResults.PromptResult> results) {
		int refused = 0;
		int flipped = 0;
		int fmBeats = 0;
		List<Integer> sizes = new ArrayList<>();
		for(DissectionResults.PromptResult r : results) {
			if(r.baseline().refused()) {
				refused++;
				if(!r.minimalSet().isEmpty() && !r.ablated().refused()) {
					flipped++;
					sizes.add(r.minimalSet().size());
				}
			}
			if(r.interactions() != null && r.interactions().fmTestR2() > r.interactions().linearTestR2()) {
				fmBeats++;
			}
		}
		sizes.sort(Integer::compare);
		double median = sizes.isEmpty() ? 0 : sizes.size() % 2 == 1 ? sizes.get(sizes.size() / 2)
				: (sizes.get(sizes.size() / 2 - 1) + sizes.get(sizes.size() / 2)) / 2.0;
		return new DissectionResults.Summary(results.size(), refused, flipped, median, fmBeats);
	}

	private static List<DissectionResults.PromptResult> loadProgress(RunFolder folder, List<Prompt> prompts,
			boolean resume) throws IOException {
		if(!resume || !Files.isRegularFile(folder.file(RunFolder.PROGRESS))) {
			return List.of();
		}
		Progress saved = Json.read(folder.file(RunFolder.PROGRESS), Progress.class);
		List<String> texts = prompts.stream().map(Prompt::text).toList();
		if(saved.prompts() == null || !saved.prompts().equals(texts)) {
			throw new IOException(folder.file(RunFolder.PROGRESS) + ": the run was started with other prompts; "
					+ "resume with the same prompt set or use another --out folder");
		}
		return saved.done() == null ? List.of() : saved.done();
	}

	@SuppressWarnings({"unchecked", "rawtypes"})
	private static RefusalDirection findDirection(ResolvedStrategy<DirectionFinder<?>> finder, EvaluationEngine engine,
			Inputs in, ProgressMonitor monitor) {
		DirectionFinder raw = finder.strategy();
		return raw.find(engine, in.harmful(), in.harmless(), finder.settings(), monitor);
	}

	@SuppressWarnings({"unchecked", "rawtypes"})
	private static List<Candidate> collect(ResolvedStrategy<FeatureCollector<?>> collector, RefusalDirection direction,
			EvaluationEngine engine, Inputs in, ProgressMonitor monitor) {
		FeatureCollector raw = collector.strategy();
		return raw.collect(direction, engine.saes(), engine, in.harmful(), in.harmless(), collector.settings(), monitor);
	}

	private static void writeConfig(RunFolder folder, RunSettings s, Inputs in, EvaluationEngine engine,
			RefusalDirection direction, Map<String, String> strategies) throws IOException {
		JsonObject config = new JsonObject();
		config.add("settings", Json.tree(s));
		org.refusalscope.api.model.ModelInfo m = in.model().info();
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("name", m.name());
		model.put("model_type", m.modelType());
		model.put("location", String.valueOf(m.location()));
		model.put("num_layers", m.numLayers());
		model.put("hidden_size", m.hiddenSize());
		model.put("compute_dtype", m.computeDtype());
		config.add("model", Json.tree(model));
		config.add("sae", Json.tree(in.saeIds()));
		config.addProperty("chat_template", in.model().chatTemplate());
		config.add("refusal_tokens", Json.tree(engine.refusalTokens()));
		config.add("strategies", Json.tree(strategies));
		config.add("direction", Json.tree(Map.of("layer", direction.layer(), "position", direction.position(), "hook",
				direction.hook().hookName(direction.layer()), "diagnostics", direction.diagnostics())));
		config.addProperty("harmful_prompts", in.harmful().size());
		config.addProperty("harmless_prompts", in.harmless().size());
		config.addProperty("version", VERSION);
		AtomicFiles.writeString(folder.file(RunFolder.CONFIG), Json.write(config));
	}

	private static double norm(float[] v) {
		double sum = 0;
		for(float x : v) {
			sum += x * (double) x;
		}
		return Math.sqrt(sum);
	}

	private static String abbreviate(String text) {
		return text.length() <= 60 ? text : text.substring(0, 57) + "...";
	}
}
