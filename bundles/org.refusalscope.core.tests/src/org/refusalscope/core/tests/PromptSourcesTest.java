package org.refusalscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.prompts.PromptFormatException;
import org.refusalscope.core.prompts.PromptFiles;

/** Every prompt-file format {@code eval} reads, through the registered sources, and their error messages. */
class PromptSourcesTest {

	@TempDir
	Path dir;

	private List<Prompt> read(String name, String content) throws Exception {
		Path file = dir.resolve(name);
		Files.writeString(file, content);
		return PromptFiles.read(file, StrategyRegistryTest.registry().strategies(StrategyRole.PROMPT_SOURCE));
	}

	@Test
	void jsonListOfStrings() throws Exception {
		assertEquals(List.of("a", "b c"), texts(read("p.json", "[\"a\", \"b c\"]")));
	}

	@Test
	void jsonObjectsWithInstruction() throws Exception {
		List<Prompt> prompts = read("p.json", "[{\"instruction\":\"Write x\",\"category\":\"harm\"},{\"instruction\":\"y\",\"category\":null}]");
		assertEquals(List.of("Write x", "y"), texts(prompts));
		assertEquals("harm", prompts.get(0).category());
	}

	@Test
	void csvWithGoalColumnAndQuotedCommas() throws Exception {
		List<Prompt> prompts = read("p.csv", "goal,target\n\"Do a, b\",Sure\nSecond,Sure\n");
		assertEquals(List.of("Do a, b", "Second"), texts(prompts));
		assertEquals(List.of("One"), texts(read("q.csv", "Index,Goal\n0,One\n")));
	}

	@Test
	void textOnePerLineSkippingBlankLines() throws Exception {
		assertEquals(List.of("first", "second"), texts(read("p.txt", "first\n\n  second  \n")));
	}

	@Test
	void malformedJsonNamesFileAndLine() {
		PromptFormatException e = assertThrows(PromptFormatException.class, () -> read("bad.json", "[\n\"a\",\n{oops\n]"));
		assertTrue(e.getMessage().contains("bad.json:4") && e.getMessage().contains("invalid JSON"), e.getMessage());
	}

	@Test
	void csvWithoutGoalColumnIsRejected() {
		PromptFormatException e = assertThrows(PromptFormatException.class, () -> read("bad.csv", "a,b\n1,2\n"));
		assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("goal"), e.getMessage());
	}

	@Test
	void jsonOfWrongShapeIsRejected() {
		PromptFormatException e = assertThrows(PromptFormatException.class, () -> read("obj.json", "[{\"text\":1}]"));
		assertTrue(e.getMessage().contains("item 0"), e.getMessage());
	}

	@Test
	void emptyFileIsRejected() {
		assertThrows(PromptFormatException.class, () -> read("empty.txt", "\n\n"));
	}

	private static List<String> texts(List<Prompt> prompts) {
		return prompts.stream().map(Prompt::text).toList();
	}
}
