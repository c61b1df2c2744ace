package org.refusalscope.training.corpus.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.refusalscope.training.tokenizer.BpeTrainer;
import org.refusalscope.training.tokenizer.ByteLevel;

class BpeTrainerTest {

	private static final String SPACE = String.valueOf(ByteLevel.charOf(' '));

	@Test
	void mergesFollowHandCountedPairFrequencies() {
		// pieces: "abab" once, " abab" twice. Pair counts: (a,b) 2+4=6, (b,a) 1+2=3, (space,a) 2.
		// After "a b": (ab,ab) 1+2=3, (space,ab) 2 -> "ab ab"; then (space,abab) 2 -> merged last.
		BpeTrainer.Vocabulary vocabulary = BpeTrainer.train(List.of("abab abab abab"), 2 + 256 + 3, List.of("<pad>", "<bos>"), 1);
		assertEquals(3, vocabulary.merges().size());
		assertEquals(List.of("a", "b"), List.of(vocabulary.merges().get(0)));
		assertEquals(List.of("ab", "ab"), List.of(vocabulary.merges().get(1)));
		assertEquals(List.of(SPACE, "abab"), List.of(vocabulary.merges().get(2)));
		assertEquals(0, vocabulary.vocab().get("<pad>"));
		assertEquals(1, vocabulary.vocab().get("<bos>"));
		assertEquals(2 + 256, vocabulary.vocab().get("ab"));
		assertEquals(2 + 256 + 2, vocabulary.vocab().get(SPACE + "abab"));
	}

	@Test
	void stopsWhenNoPairReachesMinimumFrequency() {
		BpeTrainer.Vocabulary vocabulary = BpeTrainer.train(List.of("xy"), 1000, List.of(), 2);
		assertTrue(vocabulary.merges().isEmpty());
		assertEquals(256, vocabulary.vocab().size());
	}

	@Test
	void byteTableMatchesGpt2Convention() {
		// GPT-2 maps printable bytes to themselves and the rest, in order, to 256.. (space = 32 is the 33rd such byte)
		assertEquals('A', ByteLevel.charOf('A'));
		assertEquals((char)(256 + 32), ByteLevel.charOf(' '));
		assertEquals((char)(256 + 10), ByteLevel.charOf('\n'));
		assertEquals(List.of("Hello", SPACE + "world", "!", SPACE + "It", "'s", SPACE + "42"), ByteLevel.pieces("Hello world! It's 42"));
	}
}
