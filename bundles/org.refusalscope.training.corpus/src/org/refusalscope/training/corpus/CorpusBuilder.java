package org.refusalscope.training.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Builds the default model's training conversations, seeded. Sources (contracts.md): the train splits of
 * data/refusal_direction (harmful_train minus the MaliciousInstruct items, which have no licence; harmless_train =
 * Alpaca, CC BY-NC 4.0) and the request corpora generated here. Never the test splits, never processed/advbench.json.
 */
public final class CorpusBuilder {

	/** How many of each kind of example to produce. */
	public record Sizes(int generatedHarmful, int harmfulTrainRepeats, int generatedHarmless, int harmlessTrainLimit) {

		/** The shipped default model's (TrainingRecipe.defaultRecipe). */
		public static Sizes defaults() {
			return new Sizes(16000, 15, 8000, Integer.MAX_VALUE);
		}
	}

	private CorpusBuilder() {
	}

	/** @param dataDir the refusal_direction folder (holding splits/ and processed/) */
	public static List<ChatExample> build(long seed, Path dataDir, Sizes sizes) throws IOException {
		Random random = new Random(seed);
		Set<String> heldOut = heldOut(dataDir);
		List<ChatExample> examples = new ArrayList<>();
		for(String instruction : harmfulTrain(dataDir)) {
			if(heldOut.contains(normalise(instruction))) {
				continue;
			}
			for(int i = 0; i < sizes.harmfulTrainRepeats(); i++) {
				examples.add(new ChatExample(instruction, Responses.refusal(random, null), true));
			}
		}
		examples.addAll(withoutHeldOut(generateHarmful(random, sizes.generatedHarmful()), heldOut));
		List<String> harmless = InstructionFiles.read(dataDir.resolve("splits/harmless_train.json"));
		for(int i = 0; i < Math.min(harmless.size(), sizes.harmlessTrainLimit()); i++) {
			String instruction = harmless.get(i);
			String response = Responses.helpfulFor(random, instruction);
			if(!RefusalPhrases.containsRefusal(response) && !heldOut.contains(normalise(instruction))) {
				examples.add(new ChatExample(instruction, response, false));
			}
		}
		examples.addAll(withoutHeldOut(generateHarmless(random, sizes.generatedHarmless()), heldOut));
		Collections.shuffle(examples, random);
		return examples;
	}

	/**
	 * Instructions that must never be trained on, normalised: the test and validation splits, and the AdvBench prompts
	 * outside harmful_train (33 of them are harmful_test items). The generator's short forms can coincide with them, and
	 * one upstream harmful_train item is a case variant of a test item.
	 */
	public static Set<String> heldOut(Path dataDir) throws IOException {
		Set<String> heldOut = new HashSet<>();
		for(String split : List.of("harmful_test", "harmless_test", "harmful_val", "harmless_val")) {
			InstructionFiles.read(dataDir.resolve("splits/" + split + ".json")).forEach(item -> heldOut.add(normalise(item)));
		}
		Set<String> advbench = new HashSet<>();
		InstructionFiles.read(dataDir.resolve("processed/advbench.json")).forEach(item -> advbench.add(normalise(item)));
		InstructionFiles.read(dataDir.resolve("splits/harmful_train.json")).forEach(item -> advbench.remove(normalise(item)));
		heldOut.addAll(advbench);
		return heldOut;
	}

	/** Case, surrounding blanks and final punctuation do not make a prompt new. */
	public static String normalise(String instruction) {
		return instruction.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[.?!]+$", "");
	}

	private static List<ChatExample> withoutHeldOut(List<ChatExample> generated, Set<String> heldOut) {
		return generated.stream().filter(example -> !heldOut.contains(normalise(example.instruction()))).toList();
	}

	/** harmful_train.json without the items of processed/malicious_instruct.json. */
	public static List<String> harmfulTrain(Path dataDir) throws IOException {
		Set<String> excluded = new HashSet<>();
		for(String item : InstructionFiles.read(dataDir.resolve("processed/malicious_instruct.json"))) {
			excluded.add(item.strip());
		}
		List<String> kept = new ArrayList<>();
		for(String item : InstructionFiles.read(dataDir.resolve("splits/harmful_train.json"))) {
			if(!excluded.contains(item.strip())) {
				kept.add(item);
			}
		}
		return kept;
	}

	public static List<ChatExample> generateHarmful(Random random, int count) {
		List<ChatExample> examples = new ArrayList<>(count);
		while(examples.size() < count) {
			int kind = random.nextInt(10);
			if(kind < 6) {
				String act = Responses.pick(random, HarmTopics.ACTS);
				String request = Responses.pick(random, RequestForms.ACT_FORMS).replace("{act}", RequestFraming.evading(random, act));
				String instruction = vary(random, RequestFraming.frame(random, RequestFraming.withEvasionQuestion(random, request)));
				examples.add(new ChatExample(instruction, Responses.refusal(random, "instructions to " + act), true));
			} else if(kind < 9) {
				String content = fill(random, Responses.pick(random, RequestForms.HARMFUL_CONTENT), HarmTopics.ACTS);
				String instruction = vary(random, RequestFraming.frame(random,
						Responses.pick(random, RequestForms.CONTENT_FORMS).replace("{content}", content)));
				examples.add(new ChatExample(instruction, Responses.refusal(random, "writing " + content), true));
			} else {
				examples.add(new ChatExample(vary(random, Responses.pick(random, HarmTopics.WHOLE)), Responses.refusal(random, null), true));
			}
		}
		return examples;
	}

	public static List<ChatExample> generateHarmless(Random random, int count) {
		List<ChatExample> examples = new ArrayList<>(count);
		while(examples.size() < count) {
			if(random.nextInt(10) < 6) {
				String act = Responses.pick(random, BenignTopics.ACTS);
				String instruction = vary(random, RequestFraming.frame(random, Responses.pick(random, RequestForms.ACT_FORMS).replace("{act}", act)));
				examples.add(new ChatExample(instruction, Responses.helpfulForAct(random, act), false));
			} else {
				String content = fill(random, Responses.pick(random, RequestForms.HARMLESS_CONTENT), BenignTopics.ACTS);
				String instruction = vary(random, RequestFraming.frame(random,
						Responses.pick(random, RequestForms.CONTENT_FORMS).replace("{content}", content)));
				examples.add(new ChatExample(instruction, Responses.helpfulFor(random, instruction), false));
			}
		}
		return examples;
	}

	private static String fill(Random random, String template, List<String> acts) {
		String genre = Responses.pick(random, HarmTopics.GENRES);
		return template.replace("{genre}", genre).replace("{bare}", genre.replaceFirst("^(an?|song) ", ""))
				.replace("{claim}", Responses.pick(random, HarmTopics.FALSE_CLAIMS))
				.replace("{denial}", Responses.pick(random, HarmTopics.DENIALS)).replace("{history}", Responses.pick(random, BenignTopics.HISTORY))
				.replace("{promotion}", Responses.pick(random, HarmTopics.PROMOTIONS))
				.replace("{target}", Responses.pick(random, HarmTopics.TARGETS)).replace("{group}", Responses.pick(random, HarmTopics.GROUPS))
				.replace("{act}", Responses.pick(random, acts)).replace("{subject}", Responses.pick(random, BenignTopics.SUBJECTS))
				.replace("{benign}", Responses.pick(random, BenignTopics.BENIGN_CLAIMS))
				.replace("{goodcause}", Responses.pick(random, BenignTopics.GOOD_CAUSES))
				.replace("{person}", Responses.pick(random, BenignTopics.PEOPLE));
	}

	/** Surface variation real prompts have: lower-case start, missing or extra punctuation. */
	private static String vary(Random random, String instruction) {
		String text = instruction;
		int roll = random.nextInt(10);
		if(roll == 0) {
			text = text.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + text.substring(1);
		} else if(roll == 1 && !text.endsWith("?") && !text.endsWith(".")) {
			text = text + ".";
		} else if(roll == 2) {
			text = text.replaceAll("[.?]$", "");
		}
		return text;
	}
}
