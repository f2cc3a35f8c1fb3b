def pytest_terminal_summary(terminalreporter):
    """Print the search relevance hit rate when test_search_relevance ran."""
    import sys

    module = sys.modules.get("tests.catalog.test_search_relevance")
    results = getattr(module, "RESULTS", None)
    if not results:
        return
    hits = sum(results.values())
    terminalreporter.write_line(
        f"search relevance: {hits}/{len(results)} queries with the expected part in the top 3 "
        f"({100 * hits / len(results):.1f} %)"
    )
