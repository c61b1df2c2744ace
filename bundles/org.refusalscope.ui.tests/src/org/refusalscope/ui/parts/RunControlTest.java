package org.refusalscope.ui.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.eclipse.core.runtime.IStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.refusalscope.core.json.Json;
import org.refusalscope.core.pipeline.RunSettings;
import org.refusalscope.core.registry.StrategyRegistry;
import org.refusalscope.ui.run.DissectJob;
import org.refusalscope.ui.testing.PartHarness;
import org.refusalscope.ui.testing.RunFixtures;
import org.refusalscope.ui.testing.UiTestSupport;

/**
 * Run / Cancel / Resume of the set-up part as an Eclipse Job, with a stand-in for {@code ./refusalscope dissect}: a
 * shell script that logs its arguments, keeps the config it was given, and on SIGTERM "saves" and exits like the
 * real command on Ctrl-C. The finished run opens in the workbench's OpenRun.
 */
class RunControlTest {

	static final long WAIT_MS = 60_000;
	@TempDir
	Path dir;
	private PartHarness harness;
	private ServiceTracker<StrategyRegistry, StrategyRegistry> tracker;
	private RunSetupPart part;
	private Path fixture;

	@BeforeEach
	void open() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(RunSetupPart.class).getBundleContext();
		tracker = new ServiceTracker<>(context, StrategyRegistry.class, null);
		tracker.open();
		harness = new PartHarness();
		harness.context().set(StrategyRegistry.class, tracker.waitForService(10_000));
		part = harness.make(RunSetupPart.class);
		harness.show();
		fixture = RunFixtures.writeRun(dir.resolve("fixture")).resolve("results.json");
		Path script = dir.resolve("refusalscope");
		Files.writeString(script, """
				#!/usr/bin/env bash
				# stand-in for ./refusalscope dissect: --config C --out O [--resume] ...
				echo "args: $*"
				while [[ $# -gt 0 ]]; do case "$1" in --config) config="$2"; shift;; --out) out="$2"; shift;; --resume) resume=1;; esac; shift; done
				mkdir -p "$out"; cp "$config" "$out/received-config.json"
				if [[ -n "${resume:-}" ]]; then echo "[refusalscope] resumed after 1 prompt"; cp '%s' "$out/results.json"; exit 0; fi
				if grep -q '"seed": 13' "$config"; then
				  trap 'echo "[refusalscope] cancelled; finished prompts are saved"; exit 130' TERM
				  echo "[refusalscope] prompt 1/3"
				  while true; do sleep 0.1; done
				fi
				echo "[refusalscope] Stage 1: direction"
				echo "[refusalscope]   prompt 1/3"
				cp '%s' "$out/results.json"
				""".formatted(fixture, fixture));
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		part.runControl().setLauncher(() -> script, dir.resolve("runs"));
	}

	@AfterEach
	void close() {
		harness.close();
		tracker.close();
	}

	@Test
	void runsTheCommandAsAJobAndOpensTheFinishedRun() throws Exception {
		part.runControl().start(false);
		DissectJob job = part.runControl().job();
		assertNotNull(job);
		UiTestSupport.waitUntil(harness.shell().getDisplay(), () -> harness.run().results().isPresent(), WAIT_MS, "the run to open");
		assertEquals(IStatus.OK, job.getResult().getSeverity());
		assertEquals(0, job.exitCode());
		assertEquals(3, harness.run().results().get().prompts().size());
		assertEquals(0, harness.run().selectedIndex());
		String log = part.runControl().log().getText();
		assertTrue(log.contains("args: dissect --config ") && log.contains("--out " + job.runDir()), log);
		assertTrue(log.contains("[refusalscope]   prompt 1/3"), log);
		// the command got the form's settings as its --config
		assertEquals(part.settings(), Json.read(job.runDir().resolve("received-config.json"), RunSettings.class));
		assertTrue(part.runControl().state().startsWith("finished: "), part.runControl().state());
	}

	@Test
	void cancelKeepsTheRunAndResumeContinuesIt() throws Exception {
		RunSettings settings = part.settings();
		Path config = dir.resolve("seed13.json");
		Files.writeString(config, Json.write(new RunSettings(settings.model(), settings.sae(), settings.direction(), settings.collector(),
				settings.pruning(), settings.interaction(), settings.judge(), null, null, null, 13L, null, null, null)));
		part.load(config);
		part.runControl().start(false);
		DissectJob first = part.runControl().job();
		UiTestSupport.waitUntil(harness.shell().getDisplay(), () -> part.runControl().log().getText().contains("prompt 1/3"), WAIT_MS,
				"the run to start");
		first.cancel();
		UiTestSupport.waitUntil(harness.shell().getDisplay(), () -> part.runControl().state().startsWith("cancelled"), WAIT_MS,
				"the cancelled state");
		assertEquals(IStatus.CANCEL, first.getResult().getSeverity());
		assertEquals(130, first.exitCode(), "the command saw SIGTERM and exited through its handler");
		assertTrue(part.runControl().log().getText().contains("finished prompts are saved"), part.runControl().log().getText());
		assertTrue(harness.run().results().isEmpty());
		part.runControl().start(true);
		DissectJob second = part.runControl().job();
		assertEquals(first.runDir(), second.runDir());
		UiTestSupport.waitUntil(harness.shell().getDisplay(), () -> harness.run().results().isPresent(), WAIT_MS, "the resumed run");
		assertTrue(part.runControl().log().getText().contains("--resume"));
		assertTrue(part.runControl().log().getText().contains("resumed after 1 prompt"));
	}
}
