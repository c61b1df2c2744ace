package org.refusalscope.ui.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.pipeline.AblationOracle;
import org.refusalscope.api.pipeline.PruningResult;
import org.refusalscope.api.pipeline.PruningStrategy;
import org.refusalscope.core.json.Json;
import org.refusalscope.core.pipeline.RunSettings;
import org.refusalscope.core.registry.StrategyDescriptor;
import org.refusalscope.core.registry.StrategyRegistry;
import org.refusalscope.ui.testing.PartHarness;

import com.google.gson.JsonObject;

/**
 * The run set-up part against the real DS registry of the test runtime: a pruning strategy registered while the
 * part is open appears in its picker with its description and default settings; configurations round-trip through
 * the RunSettings JSON of {@code dissect --config}.
 */
class RunSetupPartTest {

	/** A strategy "bundle added to the product": registered as an OSGi service at test time. */
	public record TopDownSettings(int chunk, boolean shuffle) {
	}

	static final class TopDownPruning implements PruningStrategy<TopDownSettings> {

		@Override
		public String id() {
			return "test-top-down";
		}

		@Override
		public String name() {
			return "Top-down (test)";
		}

		@Override
		public String description() {
			return "Removes candidates from the top; registered by the UI test.";
		}

		@Override
		public Class<TopDownSettings> settingsType() {
			return TopDownSettings.class;
		}

		@Override
		public TopDownSettings defaultSettings() {
			return new TopDownSettings(4, false);
		}

		@Override
		public PruningResult prune(List<FeatureRef> candidates, AblationOracle oracle, TopDownSettings settings,
				ProgressMonitor monitor) {
			throw new UnsupportedOperationException("only listed by the picker in this test");
		}
	}

	@TempDir
	Path dir;
	private PartHarness harness;
	private StrategyRegistry registry;
	private ServiceTracker<StrategyRegistry, StrategyRegistry> tracker;
	private RunSetupPart part;

	@BeforeEach
	void open() throws InterruptedException {
		BundleContext context = FrameworkUtil.getBundle(RunSetupPart.class).getBundleContext();
		tracker = new ServiceTracker<>(context, StrategyRegistry.class, null);
		tracker.open();
		registry = tracker.waitForService(10_000);
		assertNotNull(registry, "StrategyRegistry DS service not available in the test runtime");
		harness = new PartHarness();
		harness.context().set(StrategyRegistry.class, registry);
		part = harness.make(RunSetupPart.class);
		harness.show();
	}

	@AfterEach
	void close() {
		harness.close();
		tracker.close();
	}

	@Test
	void pickersListWhatTheRegistryHoldsNow() {
		BundleContext context = FrameworkUtil.getBundle(RunSetupPart.class).getBundleContext();
		StagePicker pruning = part.picker(StrategyRole.PRUNING_STRATEGY);
		assertFalse(pruning.listedIds().contains("test-top-down"));
		ServiceRegistration<?> registration = context.registerService(PruningStrategy.class, new TopDownPruning(), new Hashtable<>());
		try {
			part.refreshStrategies();
			List<String> expected = registry.describeAll().get(StrategyRole.PRUNING_STRATEGY).stream().map(StrategyDescriptor::id)
					.toList();
			assertTrue(expected.contains("test-top-down"));
			List<String> listed = pruning.listedIds();
			assertEquals(expected, listed.subList(0, expected.size()));
			// the default configuration's pruning strategy stays listed (marked missing) when this runtime lacks it
			String configured = RunSettings.defaults().pruning().id();
			assertEquals(expected.contains(configured) ? List.of() : List.of(configured), listed.subList(expected.size(), listed.size()));
			pruning.choose("test-top-down");
			assertEquals("Removes candidates from the top; registered by the UI test.", pruning.descriptionText());
			JsonObject settings = Json.read(pruning.settingsText().getText(), JsonObject.class);
			assertEquals(4, settings.get("chunk").getAsInt());
			assertFalse(settings.get("shuffle").getAsBoolean());
		} finally {
			registration.unregister();
		}
		part.refreshStrategies();
		// gone from the registry; still the chosen id, now marked as missing rather than silently replaced
		assertFalse(registry.find(StrategyRole.PRUNING_STRATEGY, "test-top-down").isPresent());
		assertEquals("test-top-down", pruning.selectedId());
		assertEquals("'test-top-down' is not registered in this product", pruning.descriptionText());
		// judges of the core are DS components too: the judge picker lists them
		assertEquals(registry.describeAll().get(StrategyRole.REFUSAL_JUDGE).stream().map(StrategyDescriptor::id).toList(),
				part.picker(StrategyRole.REFUSAL_JUDGE).listedIds());
	}

	@Test
	void savesTheRunSettingsJsonAndTheEquivalentCommand() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(RunSetupPart.class).getBundleContext();
		ServiceRegistration<?> registration = context.registerService(PruningStrategy.class, new TopDownPruning(), new Hashtable<>());
		try {
			part.refreshStrategies();
			part.picker(StrategyRole.PRUNING_STRATEGY).choose("test-top-down");
			part.picker(StrategyRole.PRUNING_STRATEGY).settingsText().setText("{\"chunk\": 8, \"shuffle\": true}");
			part.promptsField().setPath(dir.resolve("my prompts.json"));
			Path config = dir.resolve("run.json");
			part.save(config);
			RunSettings saved = Json.read(config, RunSettings.class);
			assertEquals("default", saved.model());
			assertEquals("test-top-down", saved.pruning().id());
			assertEquals(8, saved.pruning().settings().getAsJsonObject().get("chunk").getAsInt());
			assertEquals("zero", saved.ablateMode());
			assertEquals(48, saved.maxNewTokens());
			assertEquals(RunSettings.defaults().stage3(), saved.stage3());
			assertEquals("./refusalscope dissect --config " + config + " --prompts '" + dir.resolve("my prompts.json") + "'",
					part.commandText().getText());
		} finally {
			registration.unregister();
		}
	}

	@Test
	void loadsAConfigurationWrittenByHand() throws Exception {
		Path config = dir.resolve("hand.json");
		Files.writeString(config, """
				{"model": "/models/gemma-2-2b-it", "sae": "google/gemma-scope-2b-pt-res",
				 "pruning": {"id": "no-such-strategy", "settings": {"x": 1}}, "seed": 7, "ablate_mode": "scale:-3"}
				""");
		part.load(config);
		RunSettings shown = part.settings();
		assertEquals("/models/gemma-2-2b-it", shown.model());
		assertEquals("google/gemma-scope-2b-pt-res", shown.sae());
		assertEquals(7L, shown.seed());
		assertEquals("scale:-3", shown.ablateMode());
		assertEquals("no-such-strategy", shown.pruning().id());
		assertTrue(part.picker(StrategyRole.PRUNING_STRATEGY).descriptionText().contains("not registered"));
		// fields absent from the file take the defaults
		assertEquals(RunSettings.defaults().maxNewTokens(), shown.maxNewTokens());
	}

	@Test
	void badSettingsJsonNamesTheStage() {
		StagePicker direction = part.picker(StrategyRole.DIRECTION_FINDER);
		if(direction.selectedId() == null) {
			direction.select(RunSettings.defaults().direction());
		}
		direction.settingsText().setText("{\"layer\": ");
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, part::settings);
		assertTrue(e.getMessage().startsWith("Direction finder settings: invalid JSON"), e.getMessage());
	}
}
