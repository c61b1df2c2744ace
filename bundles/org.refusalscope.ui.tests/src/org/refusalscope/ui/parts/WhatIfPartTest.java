package org.refusalscope.ui.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.core.runs.DissectionResults.Feature;
import org.refusalscope.ui.run.DissectLauncher;
import org.refusalscope.ui.testing.PartHarness;
import org.refusalscope.ui.testing.RunFixtures;
import org.refusalscope.ui.testing.UiTestSupport;

/**
 * Drives the what-if panel once on a run folder: untick and tick features, pick scale:-3, press Regenerate. A
 * stand-in {@code refusalscope} script records its arguments and answers as {@code eval --json} does, so the test
 * checks the command the panel runs and what it shows (eval itself is tested on the real backend elsewhere).
 */
class WhatIfPartTest {

	@TempDir
	Path dir;
	private PartHarness harness;
	private WhatIfPart whatIf;
	private String previousHome;

	@BeforeEach
	void open() throws Exception {
		Path runDir = RunFixtures.writeRun(dir.resolve("run"));
		Files.writeString(runDir.resolve("config.json"), "{\"settings\":{\"model\":\"default\",\"sae\":\"default\"}}");
		Path home = Files.createDirectories(dir.resolve("home"));
		Path script = home.resolve("refusalscope");
		Files.writeString(script, "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/args.txt\"\n"
				+ "echo '{\"n\":1,\"refused\":0,\"refusal_rate\":0.0,\"items\":[{\"prompt\":\"p\",\"refused\":false,"
				+ "\"refusal_score\":-2.5,\"completion\":\"Sure, here is how.\"}]}'\n");
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		previousHome = System.setProperty(DissectLauncher.HOME_PROPERTY, home.toString());
		harness = new PartHarness();
		whatIf = harness.make(WhatIfPart.class);
		harness.run().open(runDir);
		harness.show();
	}

	@AfterEach
	void close() {
		harness.close();
		if(previousHome == null) {
			System.clearProperty(DissectLauncher.HOME_PROPERTY);
		} else {
			System.setProperty(DissectLauncher.HOME_PROPERTY, previousHome);
		}
	}

	@Test
	void listsTheMinimalSetTickedAndTheOtherCandidatesUnticked() {
		assertFalse(whatIf.regenerateButton().getEnabled(), "nothing selected yet");
		harness.run().select(0);
		harness.flush();
		TableItem[] rows = whatIf.features().getItems();
		assertEquals(4, rows.length);
		assertEquals(List.of(new Feature(3, 1234), new Feature(5, 77), new Feature(5, 901)), whatIf.ticked());
		assertEquals("7", rows[3].getText(1));
		assertEquals("12", rows[3].getText(2));
		assertFalse(rows[3].getChecked());
		assertTrue(whatIf.regenerateButton().getEnabled());
	}

	@Test
	void regenerateRunsEvalWithTheTickedFeaturesAndShowsTheVerdict() throws Exception {
		harness.run().select(0);
		harness.flush();
		TableItem[] rows = whatIf.features().getItems();
		rows[1].setChecked(false); // 5:77 off
		rows[3].setChecked(true); // 7:12 on
		whatIf.mode().setText("scale:-3");
		whatIf.regenerateButton().notifyListeners(SWT.Selection, new Event());
		UiTestSupport.waitUntil(whatIf.features().getDisplay(), () -> whatIf.verdict().getText().startsWith("complied"),
				30_000, "the what-if verdict");
		assertEquals("complied (refusal score -2.500)", whatIf.verdict().getText());
		assertEquals("Sure, here is how.", whatIf.completion().getText());
		String args = Files.readString(dir.resolve("home/args.txt")).strip();
		assertTrue(args.startsWith("eval --model default --sae default --prompts "), args);
		assertTrue(args.endsWith("--max-new-tokens 48 --json --ablate 3:1234,5:901,7:12 --ablate-mode scale:-3"), args);
	}
}
