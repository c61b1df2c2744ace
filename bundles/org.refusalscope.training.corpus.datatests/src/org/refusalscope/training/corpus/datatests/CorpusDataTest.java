package org.refusalscope.training.corpus.datatests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.refusalscope.training.corpus.ChatExample;
import org.refusalscope.training.corpus.CorpusBuilder;
import org.refusalscope.training.corpus.InstructionFiles;

/** The default corpus obeys the data rules of contracts.md on the real splits. */
class CorpusDataTest {

	private static Path dataDir() {
		String data = System.getProperty("refusalscope.test.data");
		assertTrue(data != null, "system property refusalscope.test.data is not set");
		return Path.of(data, "refusal_direction");
	}

	/** Normalised independently of CorpusBuilder.normalise: lower case, no blanks or final punctuation. */
	private static Set<String> normalised(List<String> items) {
		Set<String> out = new HashSet<>();
		items.forEach(item -> out.add(item.strip().toLowerCase(Locale.ROOT).replaceAll("[.?!]+$", "")));
		return out;
	}

	@Test
	void noHeldOutOrUnlicensedInstructionIsTrainedOn() throws IOException {
		Path dir = dataDir();
		List<ChatExample> corpus = CorpusBuilder.build(1, dir, CorpusBuilder.Sizes.defaults());
		Set<String> instructions = new HashSet<>();
		corpus.forEach(example -> instructions.addAll(normalised(List.of(example.instruction()))));
		for(String split : List.of("harmful_test", "harmless_test", "harmful_val", "harmless_val")) {
			Set<String> held = normalised(InstructionFiles.read(dir.resolve("splits/" + split + ".json")));
			held.retainAll(instructions);
			assertEquals(Set.of(), held, split + " items in the training corpus");
		}
		Set<String> malicious = normalised(InstructionFiles.read(dir.resolve("processed/malicious_instruct.json")));
		malicious.retainAll(instructions);
		assertTrue(malicious.isEmpty(), "MaliciousInstruct items in the corpus: " + malicious.stream().limit(3).toList());
		// AdvBench prompts outside harmful_train (33 of them are harmful_test items; contracts.md): none either.
		Set<String> advbench = normalised(InstructionFiles.read(dir.resolve("processed/advbench.json")));
		advbench.removeAll(normalised(InstructionFiles.read(dir.resolve("splits/harmful_train.json"))));
		advbench.retainAll(instructions);
		assertEquals(Set.of(), advbench, "AdvBench prompts outside harmful_train in the training corpus");
	}

	@Test
	void keptHarmfulTrainItemsAreExactlyTheLicensedOnes() throws IOException {
		Path dir = dataDir();
		List<String> kept = CorpusBuilder.harmfulTrain(dir);
		List<String> all = InstructionFiles.read(dir.resolve("splits/harmful_train.json"));
		Set<String> malicious = new HashSet<>(InstructionFiles.read(dir.resolve("processed/malicious_instruct.json")).stream().map(String::strip).toList());
		long expected = all.stream().filter(item -> !malicious.contains(item.strip())).count();
		assertEquals(expected, kept.size());
		assertTrue(kept.size() < all.size(), "some harmful_train items are MaliciousInstruct");
	}

	@Test
	void corpusIsSeededAndBalanced() throws IOException {
		List<ChatExample> a = CorpusBuilder.build(1, dataDir(), CorpusBuilder.Sizes.defaults());
		List<ChatExample> b = CorpusBuilder.build(1, dataDir(), CorpusBuilder.Sizes.defaults());
		assertEquals(a, b);
		long harmful = a.stream().filter(ChatExample::harmful).count();
		assertTrue(harmful > a.size() / 4 && harmful < a.size() * 3 / 4, harmful + " harmful of " + a.size());
	}
}
