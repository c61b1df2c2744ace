package org.refusalscope.model.djl.training.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.model.djl.training.ChatModelTrainer;
import org.refusalscope.model.djl.training.DjlModelTrainer;
import org.refusalscope.model.djl.training.RecipeFiles;
import org.refusalscope.model.djl.training.TrainingRecipe;

/** Recipe files: a file states what it changes, bad files are refused by name, a resume keeps its recipe. */
class RecipeFilesTest {

	@Test
	void fieldsOverrideTheDefaultRecipe(@TempDir Path dir) throws IOException {
		Path file = Files.writeString(dir.resolve("wide.json"), "{\"decisionTokenWeight\": 4, \"shape\": {\"hiddenSize\": 256}}");
		TrainingRecipe recipe = DjlModelTrainer.recipe(file.toString());
		TrainingRecipe base = TrainingRecipe.defaultRecipe();
		TrainingRecipe.LlamaConfigShape s = base.shape();
		TrainingRecipe expected = new TrainingRecipe("wide", base.vocabSize(), new TrainingRecipe.LlamaConfigShape(256, s.layers(), s.heads(),
				s.kvHeads(), s.intermediateSize(), s.maxPositions(), s.ropeTheta(), s.rmsNormEps()), base.batchSize(), base.steps(),
				base.warmupSteps(), base.learningRate(), base.minLearningRateFraction(), base.maxSequenceLength(), base.evalEvery(),
				base.patience(), base.harmlessValLimit(), base.generatedHarmful(), base.harmfulTrainRepeats(), base.generatedHarmless(),
				base.harmlessTrainLimit(), base.complianceFirstSteps(), base.refusalTunedLayers(), base.emaDecay(), 4.0);
		assertEquals(expected, recipe);
	}

	@Test
	void basedOnAnotherRecipeAndWrittenRecipesReadBack(@TempDir Path dir) throws IOException {
		Path file = Files.writeString(dir.resolve("x.json"), "{\"basedOn\": \"tiny\", \"name\": \"short\", \"steps\": 12}");
		TrainingRecipe recipe = DjlModelTrainer.recipe(file.toString());
		TrainingRecipe tiny = TrainingRecipe.tinyRecipe();
		assertEquals("short", recipe.name());
		assertEquals(12, recipe.steps());
		assertEquals(tiny.shape(), recipe.shape());
		assertEquals(tiny.learningRate(), recipe.learningRate());
		Path written = dir.resolve("written.json");
		RecipeFiles.write(recipe, written);
		assertEquals(recipe, DjlModelTrainer.recipe(written.toString()));
	}

	@Test
	void badFilesAreRefusedWithTheFileAndTheField(@TempDir Path dir) throws IOException {
		Path unknown = Files.writeString(dir.resolve("typo.json"), "{\"decisionWeight\": 4}");
		IOException e = assertThrows(IOException.class, () -> DjlModelTrainer.recipe(unknown.toString()));
		assertTrue(e.getMessage().contains(unknown.toString()) && e.getMessage().contains("'decisionWeight'"), e.getMessage());
		Path nested = Files.writeString(dir.resolve("nested.json"), "{\"shape\": {\"depth\": 5}}");
		e = assertThrows(IOException.class, () -> DjlModelTrainer.recipe(nested.toString()));
		assertTrue(e.getMessage().contains("'shape.depth'"), e.getMessage());
		Path wrongType = Files.writeString(dir.resolve("type.json"), "{\"steps\": \"many\"}");
		e = assertThrows(IOException.class, () -> DjlModelTrainer.recipe(wrongType.toString()));
		assertTrue(e.getMessage().contains(wrongType.toString()), e.getMessage());
		Path base = Files.writeString(dir.resolve("base.json"), "{\"basedOn\": \"huge\"}");
		e = assertThrows(IOException.class, () -> DjlModelTrainer.recipe(base.toString()));
		assertTrue(e.getMessage().contains("'huge'"), e.getMessage());
		e = assertThrows(IOException.class, () -> DjlModelTrainer.recipe(dir.resolve("missing.json").toString()));
		assertTrue(e.getMessage().endsWith("missing.json: no such recipe file"), e.getMessage());
		Path broken = Files.writeString(dir.resolve("broken.json"), "{\"steps\": ");
		e = assertThrows(IOException.class, () -> DjlModelTrainer.recipe(broken.toString()));
		assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
	}

	@Test
	void resumeRefusesAnotherRecipe(@TempDir Path dir) throws IOException {
		Path out = dir.resolve("run");
		RecipeFiles.write(TrainingRecipe.tinyRecipe(), Files.createDirectories(out.resolve("training")).resolve("recipe.json"));
		// the check comes before anything else, so no data folder is needed
		ChatModelTrainer trainer = new ChatModelTrainer(TrainingRecipe.defaultRecipe(), dir.resolve("no-data"), 1,
				new PrintStream(OutputStream.nullOutputStream()));
		IOException e = assertThrows(IOException.class, () -> trainer.train(out, true, ProgressMonitor.NULL));
		assertTrue(e.getMessage().contains("recipe.json") && e.getMessage().contains("'tiny'"), e.getMessage());
	}
}
