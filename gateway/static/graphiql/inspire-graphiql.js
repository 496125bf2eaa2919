// Starts GraphiQL against this page's own URL. A token in the fragment (`/graphql#token=…`,
// as `inspire dev` prints it) fills the Authorization header; the fragment never reaches the
// server, and it is taken out of the address bar at once. The token is kept for this tab only
// (sessionStorage), so that a reload keeps it and closing the tab forgets it.
(function () {
  "use strict";

  var TOKEN_KEY = "inspire.graphiql.token";
  var fragment = new URLSearchParams(window.location.hash.slice(1));
  var token = fragment.get("token");

  if (token) {
    window.sessionStorage.setItem(TOKEN_KEY, token);
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  } else {
    token = window.sessionStorage.getItem(TOKEN_KEY);
  }

  var headers = token
    ? JSON.stringify({ Authorization: "Bearer " + token }, null, 2)
    : "";

  var defaultQuery = [
    "# Inspire's GraphQL API; the book icon opens its docs.",
    "# Your token goes in Headers, below:",
    "#   {\"Authorization\": \"Bearer …\"}",
    "# `./inspire token EMAIL` prints one.",
    "",
    "query Me {",
    "  viewer {",
    "    name",
    "    email",
    "    manager { name }",
    "    reports(first: 10) { edges { node { name title } } }",
    "  }",
    "}",
    "",
  ].join("\n");

  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      headers: headers,
      defaultHeaders: headers,
      // Tokens stay out of localStorage; queries and tabs are remembered as usual.
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: token ? true : "headers",
      isHeadersEditorEnabled: true,
      inputValueDeprecation: true,
    }),
  );
})();
