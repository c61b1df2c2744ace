package org.refusalscope.ui.parts;

import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.refusalscope.core.pipeline.RunSettings.StrategyChoice;
import org.refusalscope.core.registry.StrategyDescriptor;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;

/**
 * Picks the strategy of one stage from what the registry lists right now (id, description) and edits its settings
 * as the JSON object the headless runner reads; choosing a strategy shows its default settings.
 */
public class StagePicker {

	private final String stage;
	private final boolean withSettings;
	private final Combo ids;
	private final Label description;
	private final Text settings;
	private List<StrategyDescriptor> choices = List.of();

	public StagePicker(Composite parent, String stage, boolean withSettings) {
		this.stage = stage;
		this.withSettings = withSettings;
		Group group = new Group(parent, SWT.NONE);
		group.setText(stage);
		group.setLayout(new GridLayout(2, false));
		group.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, withSettings));
		ids = new Combo(group, SWT.READ_ONLY | SWT.DROP_DOWN);
		ids.setLayoutData(new GridData(SWT.LEFT, SWT.TOP, false, false));
		description = new Label(group, SWT.WRAP);
		description.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		settings = withSettings ? new Text(group, SWT.BORDER | SWT.MULTI | SWT.V_SCROLL) : null;
		if(settings != null) {
			GridData data = new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1);
			data.heightHint = 60;
			settings.setLayoutData(data);
		}
		ids.addListener(SWT.Selection, e -> showDefaults());
	}

	/**
	 * Lists the registered strategies. The chosen id (and its edited settings) stays chosen; when it is no longer
	 * registered it stays listed, marked as missing, so a loaded configuration is never changed behind one's back.
	 */
	public void setChoices(List<StrategyDescriptor> registered) {
		String current = selectedId();
		choices = List.copyOf(registered);
		ids.setItems(choices.stream().map(StrategyDescriptor::id).toArray(String[]::new));
		int keep = indexOf(current);
		if(keep >= 0) {
			ids.select(keep);
			description.setText(choices.get(keep).description());
		} else if(current != null) {
			markMissing(current);
		} else if(!choices.isEmpty()) {
			ids.select(0);
			showDefaults();
		} else {
			description.setText("no " + stage + " registered");
		}
	}

	/** Shows a configuration's choice; an id that is not registered is listed anyway, marked as missing. */
	public void select(StrategyChoice choice) {
		if(choice == null || choice.id() == null) {
			return;
		}
		int index = indexOf(choice.id());
		if(index < 0) {
			markMissing(choice.id());
		} else {
			ids.select(index);
			description.setText(choices.get(index).description());
		}
		if(settings != null) {
			settings.setText(choice.settings() == null || choice.settings().isJsonNull()
					? index < 0 ? "{}" : choices.get(index).settingsJson()
					: org.refusalscope.core.json.Json.write(choice.settings()));
		}
	}

	/** The choice for the run configuration; bad JSON is an error naming the stage. */
	public StrategyChoice choice() {
		String id = selectedId();
		if(id == null) {
			throw new IllegalArgumentException(stage + ": no strategy chosen");
		}
		if(settings == null) {
			return StrategyChoice.of(id);
		}
		try {
			JsonElement parsed = JsonParser.parseString(settings.getText());
			if(!parsed.isJsonObject()) {
				throw new IllegalArgumentException(stage + " settings: expected a JSON object");
			}
			return new StrategyChoice(id, parsed);
		} catch(JsonParseException e) {
			throw new IllegalArgumentException(stage + " settings: invalid JSON: " + e.getMessage(), e);
		}
	}

	public String selectedId() {
		int index = ids.getSelectionIndex();
		return index < 0 ? null : ids.getItem(index);
	}

	public List<String> listedIds() {
		return List.of(ids.getItems());
	}

	public String descriptionText() {
		return description.getText();
	}

	public Text settingsText() {
		return settings;
	}

	/** Chooses {@code id} as a user would (shows its defaults). */
	public void choose(String id) {
		ids.select(indexOf(id));
		showDefaults();
	}

	private void markMissing(String id) {
		ids.add(id);
		ids.select(ids.getItemCount() - 1);
		description.setText("'" + id + "' is not registered in this product");
	}

	private void showDefaults() {
		int index = ids.getSelectionIndex();
		if(index < 0 || index >= choices.size()) {
			return;
		}
		description.setText(choices.get(index).description());
		if(settings != null && withSettings) {
			settings.setText(choices.get(index).settingsJson());
		}
		description.getParent().layout(true);
	}

	private int indexOf(String id) {
		for(int i = 0; id != null && i < choices.size(); i++) {
			if(choices.get(i).id().equals(id)) {
				return i;
			}
		}
		return -1;
	}
}
