/// notifysplit's version, written here and nowhere else: `--version`, the
/// series' signature line, the JSON reports and SARIF's `tool.driver`
/// all read it.
public enum ToolVersion {
    public static let current = "0.2.0"
}
