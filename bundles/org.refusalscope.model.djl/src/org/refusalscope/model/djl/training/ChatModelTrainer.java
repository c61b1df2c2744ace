package org.refusalscope.model.djl.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.refusalscope.training.corpus.ChatExample;
import org.refusalscope.training.corpus.CorpusBuilder;
import org.refusalscope.training.corpus.InstructionFiles;
import org.refusalscope.training.tokenizer.BpeTrainer;
import org.refusalscope.training.tokenizer.ChatFormat;
import org.refusalscope.training.tokenizer.TokenizerFiles;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

/**
 * Trains a small Llama chat model that refuses harmful requests: builds the corpus, trains the BPE tokenizer,
 * trains with AdamW (loss on assistant tokens), checks first-token refusal on harmful_val / harmless_val every
 * evalEvery steps, keeps the best weights, stops early when the validation score stops improving, checkpoints for
 * resume, and writes a Hugging Face folder.
 */
public final class ChatModelTrainer {

	/** What the run produced. */
	public record Outcome(Path folder, long steps, long bestStep, double harmfulValRefusal, double harmlessValRefusal, double finalLoss, long parameters) {
	}

	private final TrainingRecipe recipe;
	private final Path dataDir;
	private final long seed;
	private final PrintStream log;

	/** @param dataDir the refusal_direction folder (splits/, processed/) */
	public ChatModelTrainer(TrainingRecipe recipe, Path dataDir, long seed, PrintStream log) {
		this.recipe = recipe;
		this.dataDir = dataDir;
		this.seed = seed;
		this.log = log;
	}

	public Outcome train(Path out, boolean resume, org.refusalscope.api.ProgressMonitor monitor) throws IOException {
		Files.createDirectories(out);
		Path work = out.resolve("training");
		Files.createDirectories(work);
		keepRecipe(work.resolve("recipe.json"), resume);
		List<ChatExample> corpus = CorpusBuilder.build(seed, dataDir, new CorpusBuilder.Sizes(recipe.generatedHarmful(),
				recipe.harmfulTrainRepeats(), recipe.generatedHarmless(), recipe.harmlessTrainLimit()));
		log.printf("corpus: %d conversations (%d harmful)%n", corpus.size(), corpus.stream().filter(ChatExample::harmful).count());
		if(!resume || !Files.exists(out.resolve("tokenizer.json"))) {
			List<String> texts = new ArrayList<>();
			for(ChatExample example : corpus) {
				texts.add(example.instruction());
				texts.add(example.response());
			}
			BpeTrainer.Vocabulary vocabulary = BpeTrainer.train(texts, recipe.vocabSize(), ChatFormat.SPECIAL_TOKENS, 2);
			TokenizerFiles.write(vocabulary, out, recipe.shape().maxPositions());
			log.printf("tokenizer: %d tokens%n", vocabulary.vocab().size());
		}
		try(HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(out.resolve("tokenizer.json"), Map.of("addSpecialTokens", "false"));
				NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
			int vocab = TokenizerFiles.vocabularySize(out.resolve("tokenizer.json"));
			TrainingRecipe.LlamaConfigShape s = recipe.shape();
			LlamaConfig config = new LlamaConfig(vocab, s.hiddenSize(), s.layers(), s.heads(), s.kvHeads(), s.intermediateSize(),
					s.maxPositions(), s.ropeTheta(), s.rmsNormEps(), 1, 4, 0);
			List<TokenizedExample> examples = TrainingData.tokenize(tokenizer, corpus, recipe.maxSequenceLength());
			log.printf("model: %d parameters; %d conversations within %d tokens%n", config.parameterCount(), examples.size(), recipe.maxSequenceLength());
			Validation validation = Validation.load(tokenizer, dataDir, recipe.harmlessValLimit(), recipe.maxSequenceLength());
			LlamaWeights weights = LlamaWeights.initialise(config, manager, seed);
			weights.requireGradients();
			AdamW optimizer = new AdamW(AdamW.Settings.defaults(), weights);
			// the moving average that is validated and shipped; the raw weights when the recipe has none
			LlamaWeights average = recipe.emaDecay() > 0 ? weights.copy(manager) : weights;
			RunFiles files = RunFiles.in(work);
			Checkpoints.State state = resume ? files.restore(weights, optimizer, average, log) : Checkpoints.State.initial();
			monitor.begin("train-model", recipe.steps());
			monitor.worked((int)state.step());
			BatchSchedule schedule = new BatchSchedule(recipe, examples, seed);
			double loss = Double.NaN;
			long started = System.nanoTime();
			long step = state.step();
			long firstStep = step;
			while(step < recipe.steps()) {
				monitor.checkCanceled();
				long current = step;
				loss = trainStep(weights, optimizer, schedule.at(step), recipe.learningRate((int)step), (float)recipe.decisionTokenWeight(),
						manager, name -> recipe.trains(name, current));
				if(average != weights) {
					average.blend(weights, recipe.emaDecay(step));
				}
				step++;
				monitor.worked(1);
				if(step % 10 == 0) {
					double seconds = (System.nanoTime() - started) / 1e9;
					log.printf("step %d/%d loss %.4f lr %.2e (%.2f s/step)%n", step, recipe.steps(), loss, recipe.learningRate((int)step),
							seconds / (step - firstStep));
				}
				if(step % recipe.evalEvery() != 0 && step != recipe.steps()) {
					continue;
				}
				// Validation starts once refusal is being trained: before that it would only count against patience.
				// Checkpoints are written from the first step on, so an interrupted helpful phase resumes too.
				state = step > recipe.complianceFirstSteps() ? validate(step, state, validation, average, manager)
						: state.at(step);
				files.save(state, weights, optimizer, average, state.bestStep() == step);
				if(state.badEvals() >= recipe.patience()) {
					log.printf("early stop: no improvement for %d evaluations%n", recipe.patience());
					break;
				}
			}
			Path best = files.best();
			if(Files.exists(best)) {
				AdamW scratch = new AdamW(AdamW.Settings.defaults(), weights);
				Checkpoints.restore(best, weights, scratch);
			}
			double[] rates = validation.refusalRates(weights, manager);
			Checkpoints.writeHuggingFaceFolder(out, weights, "F32", Map.of("recipe", recipe.name(), "seed", Long.toString(seed),
					"step", Long.toString(state.bestStep())));
			log.printf("saved %s (best step %d: harmful_val %.3f, harmless_val %.3f)%n", out, state.bestStep(), rates[0], rates[1]);
			return new Outcome(out, step, state.bestStep(), rates[0], rates[1], loss, config.parameterCount());
		}
	}

	/** Writes the run's complete recipe; a resume must continue the recipe the run was started with. */
	private void keepRecipe(Path file, boolean resume) throws IOException {
		if(resume && Files.exists(file)) {
			TrainingRecipe started = RecipeFiles.read(file, Map.of("default", recipe));
			if(!started.equals(recipe)) {
				throw new IOException(file + ": this run was started with another recipe ('" + started.name() + "'); resume with that recipe file, or train into a new folder");
			}
			return;
		}
		RecipeFiles.write(recipe, file);
	}

	/** First-token refusal of the average on the validation prompts; the counters after this evaluation. */
	private Checkpoints.State validate(long step, Checkpoints.State state, Validation validation, LlamaWeights average,
			NDManager manager) {
		double[] rates = validation.refusalRates(average, manager);
		double score = rates[0] - rates[1];
		boolean improved = score > state.bestScore();
		log.printf("eval step %d: harmful_val first-token refusal %.3f, harmless_val %.3f%s%n", step, rates[0], rates[1],
				improved ? " (best)" : "");
		return new Checkpoints.State(step, improved ? score : state.bestScore(), improved ? step : state.bestStep(),
				improved ? 0 : state.badEvals() + 1);
	}

	/** One optimisation step (also used by benchmarks and tests). */
	public static double trainStepForBench(LlamaWeights weights, AdamW optimizer, List<TokenizedExample> examples, double lr, NDManager parent) {
		return trainStep(weights, optimizer, examples, lr, 1f, parent, name -> true);
	}

	static double trainStep(LlamaWeights weights, AdamW optimizer, List<TokenizedExample> examples, double lr, float decisionWeight,
			NDManager parent, java.util.function.Predicate<String> trained) {
		try(NDManager step = parent.newSubManager()) {
			Batch batch = Batch.of(examples, weights.config().padTokenId(), decisionWeight, step);
			float loss;
			try(GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
				NDArray value = LlamaForward.selectedLoss(weights, batch.ids(), batch.positions(), batch.keyMask(), batch.lossRows(), batch.lossTargets(),
						batch.lossWeights());
				collector.backward(value);
				loss = value.getFloat();
			}
			optimizer.update(weights, lr, step, trained);
			return loss;
		}
	}

	/** The early-stopping check: first-token refusal on harmful_val and the first harmlessValLimit of harmless_val. */
	record Validation(List<int[]> harmful, List<int[]> harmless, Set<Integer> refusalStarts) {

		static Validation load(HuggingFaceTokenizer tokenizer, Path dataDir, int harmlessLimit, int maxLength) throws IOException {
			List<int[]> harmful = new ArrayList<>();
			for(String instruction : InstructionFiles.read(dataDir.resolve("splits/harmful_val.json"))) {
				addWithin(harmful, TrainingData.encode(tokenizer, ChatFormat.prompt(instruction)), maxLength);
			}
			List<int[]> harmless = new ArrayList<>();
			List<String> harmlessVal = InstructionFiles.read(dataDir.resolve("splits/harmless_val.json"));
			for(String instruction : harmlessVal.subList(0, Math.min(harmlessLimit, harmlessVal.size()))) {
				addWithin(harmless, TrainingData.encode(tokenizer, ChatFormat.prompt(instruction)), maxLength);
			}
			return new Validation(harmful, harmless, refusalStartTokens(tokenizer));
		}

		/** Prompts longer than the training length are left out (positions past the rotary table). */
		private static void addWithin(List<int[]> prompts, int[] prompt, int maxLength) {
			if(prompt.length <= maxLength) {
				prompts.add(prompt);
			}
		}

		double[] refusalRates(LlamaWeights weights, NDManager manager) {
			return new double[]{rate(RefusalProbe.firstTokens(weights, harmful, 64, manager)), rate(RefusalProbe.firstTokens(weights, harmless, 64, manager))};
		}

		private double rate(int[] firstTokens) {
			int refused = 0;
			for(int token : firstTokens) {
				refused += refusalStarts.contains(token) ? 1 : 0;
			}
			return firstTokens.length == 0 ? 0 : (double)refused / firstTokens.length;
		}
	}

	/** Ids of the first token of each refusal opening ("I", "Sorry", "As"), found from the tokenizer. */
	public static Set<Integer> refusalStartTokens(HuggingFaceTokenizer tokenizer) {
		Set<Integer> ids = new HashSet<>();
		for(String opening : List.of("I'm sorry", "I cannot", "Sorry, but", "As an AI")) {
			ids.add(TrainingData.encode(tokenizer, opening)[0]);
		}
		return ids;
	}
}
