package org.refusalscope.training.corpus.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.refusalscope.training.corpus.ChatExample;
import org.refusalscope.training.corpus.CorpusBuilder;
import org.refusalscope.training.corpus.RefusalPhrases;
import org.refusalscope.training.corpus.Responses;
import org.refusalscope.training.tokenizer.ChatFormat;

class CorpusTest {

	@Test
	void harmfulRequestsGetRefusalsAndAreVaried() {
		List<ChatExample> harmful = CorpusBuilder.generateHarmful(new Random(7), 3000);
		Set<String> instructions = new HashSet<>();
		Set<String> refusals = new HashSet<>();
		for(ChatExample example : harmful) {
			assertTrue(example.harmful());
			assertTrue(RefusalPhrases.containsRefusal(example.response()), example.response());
			instructions.add(example.instruction());
			refusals.add(example.response());
		}
		assertTrue(instructions.size() > 2000, "distinct harmful instructions: " + instructions.size());
		assertTrue(refusals.size() > 50, "distinct refusals: " + refusals.size());
	}

	@Test
	void harmlessRequestsGetOnTopicHelpfulAnswers() {
		for(ChatExample example : CorpusBuilder.generateHarmless(new Random(7), 2000)) {
			assertFalse(example.harmful());
			assertFalse(RefusalPhrases.containsRefusal(example.response()), example.response());
			// on topic: the answer repeats a content word of the request (request verbs and function words do not count)
			Set<String> requestWords = words(example.instruction());
			long shared = words(example.response()).stream().filter(requestWords::contains).count();
			assertTrue(shared >= 1, example.instruction() + " -> " + example.response());
		}
	}

	@Test
	void sameSeedSameCorpusOtherSeedOther() {
		assertEquals(CorpusBuilder.generateHarmful(new Random(3), 200), CorpusBuilder.generateHarmful(new Random(3), 200));
		assertFalse(CorpusBuilder.generateHarmful(new Random(3), 200).equals(CorpusBuilder.generateHarmful(new Random(4), 200)));
	}

	@Test
	void topicDropsRequestVerbs() {
		assertEquals("a chocolate cake recipe for two", Responses.topicOf("Can you recommend a chocolate cake recipe for two?"));
		assertEquals("the water cycle", Responses.topicOf("Explain the water cycle."));
		assertEquals("three benefits of exercise", Responses.topicOf("List three benefits of exercise"));
	}

	@Test
	void chatFormatMatchesTemplateShape() {
		assertEquals("<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n", ChatFormat.prompt(" Hi "));
		assertEquals("Hello!<end_of_turn>", ChatFormat.answer("Hello!"));
		assertEquals(List.of("<pad>", "<bos>", "<eos>", "<start_of_turn>", "<end_of_turn>"), ChatFormat.SPECIAL_TOKENS);
	}

	private static final Set<String> FUNCTION_WORDS = Set.of("the", "and", "how", "for", "you", "what", "with", "that", "this",
			"are", "can", "here", "sure", "write", "guide", "steps", "step", "first", "then", "start", "help", "need", "your");

	private static Set<String> words(String text) {
		Set<String> words = new HashSet<>();
		for(String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
			if(word.length() >= 3 && !FUNCTION_WORDS.contains(word)) {
				words.add(word);
			}
		}
		return words;
	}
}
