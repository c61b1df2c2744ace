package org.refusalscope.core.prompts;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.prompts.PromptFormatException;
import org.refusalscope.api.prompts.PromptSource;

/** {@code .csv} files with a {@code goal} or {@code Goal} column (AdvBench, JailbreakBench), read with Commons CSV. */
@Component(service = PromptSource.class)
public class CsvPromptSource implements PromptSource {

	private static final List<String> PROMPT_COLUMNS = List.of("goal", "Goal", "prompt", "instruction", "Behavior",
			"behavior");

	@Override
	public String id() {
		return "csv";
	}

	@Override
	public String name() {
		return "CSV with a goal column";
	}

	@Override
	public String description() {
		return "A .csv file with a header; prompts from the 'goal'/'Goal' column (AdvBench, JailbreakBench), "
				+ "else 'prompt', 'instruction' or 'Behavior'.";
	}

	@Override
	public Class<Void> settingsType() {
		return Void.class;
	}

	@Override
	public Void defaultSettings() {
		return null;
	}

	@Override
	public boolean canRead(Path file) {
		return file.getFileName().toString().toLowerCase().endsWith(".csv");
	}

	@Override
	public List<Prompt> read(Path file) throws IOException {
		CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
		try(Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
				CSVParser parser = CSVParser.parse(reader, format)) {
			String column = PROMPT_COLUMNS.stream().filter(parser.getHeaderMap()::containsKey).findFirst()
					.orElseThrow(() -> new PromptFormatException(file, 1, "no 'goal'/'Goal' column in header "
							+ parser.getHeaderNames()));
			String category = parser.getHeaderMap().containsKey("Category") ? "Category"
					: parser.getHeaderMap().containsKey("category") ? "category" : null;
			List<Prompt> prompts = new ArrayList<>();
			try {
				for(CSVRecord record : parser) {
					long line = parser.getCurrentLineNumber();
					if(!record.isSet(column)) {
						throw new PromptFormatException(file, (int) line, "row has no value for column '" + column + "'");
					}
					String text = record.get(column).trim();
					if(text.isEmpty()) {
						throw new PromptFormatException(file, (int) line, "empty prompt in column '" + column + "'");
					}
					prompts.add(new Prompt(text, category == null ? null : record.get(category),
							file.getFileName() + ":" + line));
				}
			} catch(UncheckedIOException e) {
				throw new PromptFormatException(file, (int) parser.getCurrentLineNumber(), "malformed CSV: "
						+ e.getCause().getMessage());
			} catch(IllegalStateException e) {
				throw new PromptFormatException(file, (int) parser.getCurrentLineNumber(), "malformed CSV: " + e.getMessage());
			}
			return prompts;
		} catch(IllegalArgumentException e) {
			throw new PromptFormatException(file, 1, "malformed CSV header: " + e.getMessage());
		}
	}
}
