DossierSearch.docs(0,[[0,"</script> ","a/index.html","",""]]);
