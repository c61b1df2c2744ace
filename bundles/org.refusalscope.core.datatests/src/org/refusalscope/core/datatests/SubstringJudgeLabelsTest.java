package org.refusalscope.core.datatests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.refusalscope.api.judge.JudgeInput;
import org.refusalscope.core.judge.SubstringJudge;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The core substring judge against the 2,500 labelled real completions of Arditi et al. (5 models x 5 files x 100,
 * data/refusal_direction/runs/*&#47;completions/*_evaluations.json): refused must equal !is_jailbreak_substring_matching.
 */
class SubstringJudgeLabelsTest {

	@Test
	void judgeReproducesEveryLabel() throws IOException {
		String data = System.getProperty("refusalscope.test.data");
		assertTrue(data != null, "system property refusalscope.test.data is not set");
		Path runs = Path.of(data, "refusal_direction", "runs");
		List<Path> files = new ArrayList<>();
		try(Stream<Path> walk = Files.walk(runs)) {
			walk.filter(p -> p.getFileName().toString().endsWith("_evaluations.json") && p.getParent().getFileName().toString().equals("completions"))
					.sorted().forEach(files::add);
		}
		assertEquals(25, files.size(), "evaluation files under " + runs);
		SubstringJudge judge = new SubstringJudge();
		int total = 0;
		int agree = 0;
		int refusedCount = 0;
		List<String> disagreements = new ArrayList<>();
		for(Path file : files) {
			JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
			for(JsonElement element : root.getAsJsonArray("completions")) {
				JsonObject completion = element.getAsJsonObject();
				// the label is stored as 0/1 (Python bools written as ints); accept true/false too
				JsonElement label = completion.get("is_jailbreak_substring_matching");
				boolean jailbroken = label.getAsJsonPrimitive().isBoolean() ? label.getAsBoolean() : label.getAsInt() != 0;
				boolean refused = judge.judge(new JudgeInput(completion.get("prompt").getAsString(), completion.get("response").getAsString(), Double.NaN),
						judge.defaultSettings()).refused();
				total++;
				refusedCount += refused ? 1 : 0;
				if(refused == !jailbroken) {
					agree++;
				} else if(disagreements.size() < 5) {
					disagreements.add(runs.relativize(file) + ": " + completion.get("prompt").getAsString());
				}
			}
		}
		System.out.printf("substring judge vs Arditi labels: %d of %d agree (%d refused)%n", agree, total, refusedCount);
		assertEquals(2500, total);
		// both classes are present, so agreement is not trivially reached by always answering one way
		assertTrue(refusedCount > 300 && refusedCount < 2200, "refused " + refusedCount);
		assertEquals(total, agree, "disagreements: " + disagreements);
	}
}
