package org.refusalscope.core.tests.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.core.json.Json;
import org.refusalscope.core.pipeline.ResolvedStrategy;
import org.refusalscope.core.pipeline.RunSettings;
import org.refusalscope.pruning.greedy.BackwardElimination;

import com.google.gson.JsonParser;

class RunSettingsTest {

	@Test
	void handWrittenConfigFillsTheRestWithDefaults() {
		RunSettings parsed = Json.read("{\"pruning\": {\"id\": \"backward\", \"settings\": {\"order\": \"random\", "
				+ "\"seed\": 3, \"batchSize\": 2, \"maxPasses\": 5}}, \"ablate_mode\": \"scale:-3\", "
				+ "\"stage3\": {\"random_masks\": 50}}", RunSettings.class).withDefaults();
		assertEquals("scale:-3", parsed.ablateMode());
		assertEquals(50, parsed.stage3().randomMasks());
		assertEquals(List.of(0.1, 0.3, 0.5, 0.7, 0.9), parsed.stage3().densities());
		assertEquals("diff-in-means", parsed.direction().id());
		assertEquals("substring", parsed.judge());
		assertEquals(48, parsed.maxNewTokens());
		ResolvedStrategy<?> pruning = ResolvedStrategy.resolve(PipelineTest.lookup(), StrategyRole.PRUNING_STRATEGY,
				parsed.pruning().id(), parsed.pruning().settings());
		assertEquals(new BackwardElimination.Settings("random", 3L, 2, 5), pruning.settings());
	}

	@Test
	void settingsRoundTripThroughJson() {
		RunSettings defaults = RunSettings.defaults();
		assertEquals(defaults, Json.read(Json.write(defaults), RunSettings.class));
	}

	@Test
	void unknownStrategiesAndBadSettingsAreNamed() {
		IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ResolvedStrategy.resolve(
				PipelineTest.lookup(), StrategyRole.PRUNING_STRATEGY, "nope", null));
		assertEquals("no pruning-strategy strategy with id 'nope'", unknown.getMessage());
		assertThrows(IllegalArgumentException.class, () -> ResolvedStrategy.resolve(PipelineTest.lookup(),
				StrategyRole.PRUNING_STRATEGY, "backward", JsonParser.parseString("{\"batchSize\": \"many\"}")));
	}
}
