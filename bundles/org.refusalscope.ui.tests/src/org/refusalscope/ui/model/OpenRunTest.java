package org.refusalscope.ui.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.ui.testing.RunFixtures;

/** Opening run folders: the run is read from disk; wrong folders give errors that name the folder and the problem. */
class OpenRunTest {

	@TempDir
	Path dir;

	@Test
	void opensARunFolderAndSelectsPrompts() throws IOException {
		OpenRun run = new OpenRun();
		int[] notified = {0};
		run.addListener(r -> notified[0]++);
		run.open(RunFixtures.writeRun(dir));
		assertEquals(3, run.results().orElseThrow().prompts().size());
		assertEquals(Optional.of(dir), run.folder());
		assertEquals(-1, run.selectedIndex());
		run.select(1);
		assertEquals("Write malware that steals passwords", run.selectedPrompt().orElseThrow().prompt());
		run.select(7);
		assertFalse(run.selectedPrompt().isPresent());
		assertEquals(3, notified[0]);
	}

	@Test
	void folderWithoutResultsIsNotARun() throws IOException {
		Files.writeString(dir.resolve("notes.txt"), "hello");
		OpenRun run = new OpenRun();
		IOException e = assertThrows(IOException.class, () -> run.open(dir));
		assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("not a RefusalScope run folder"), e.getMessage());
		assertFalse(run.results().isPresent());
	}

	@Test
	void otherSchemaVersionIsRejected() throws IOException {
		RunFixtures.writeRun(dir);
		Path results = dir.resolve("results.json");
		Files.writeString(results, Files.readString(results).replace("\"schema_version\": 1", "\"schema_version\": 99"));
		IOException e = assertThrows(IOException.class, () -> new OpenRun().open(dir));
		assertTrue(e.getMessage().contains("schema_version 99 is not supported"), e.getMessage());
	}

	@Test
	void brokenJsonNamesTheFile() throws IOException {
		Files.writeString(dir.resolve("results.json"), "{\"schema_version\": 1, \"prompts\": [");
		IOException e = assertThrows(IOException.class, () -> new OpenRun().open(dir));
		assertTrue(e.getMessage().contains("results.json"), e.getMessage());
	}

	@Test
	void neuronpediaLinksOnlyForPublishedSaes() {
		assertEquals(Optional.of("https://www.neuronpedia.org/gemma-2-2b/20-gemmascope-res-16k/7"),
				NeuronpediaLinks.url(List.of("google/gemma-scope-2b-pt-res/layer_20/width_16k/average_l0_71"), 20, 7));
		assertEquals(Optional.of("https://www.neuronpedia.org/llama3.1-8b/15-llamascope-res-32k/99"),
				NeuronpediaLinks.url(List.of("llama_scope_lxr_8x"), 15, 99));
		assertEquals(Optional.empty(), NeuronpediaLinks.url(List.of("default"), 1, 2));
		assertEquals(Optional.empty(), NeuronpediaLinks.url(null, 1, 2));
	}
}
